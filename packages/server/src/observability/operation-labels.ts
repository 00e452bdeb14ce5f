/** What a GraphQL operation name may look like to be used as a label as it is. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The label of an operation sent without a name. */
export const ANONYMOUS_OPERATION = '(anonymous)';
/** The label of every name past the cap, or not a plain GraphQL name. */
export const OTHER_OPERATION = '(other)';

/**
 * Operation names as metric labels, with bounded cardinality: a client can
 * send any name it likes, and every distinct label value is a new series in
 * Prometheus. The first `max` plain names are kept (the apps' operations
 * arrive within the first minutes); anything past them, or not a plain
 * GraphQL name, is counted as `(other)`. The parentheses keep both special
 * labels apart from real names.
 */
export class OperationLabels {
  private readonly names = new Set<string>();

  constructor(private readonly max: number) {}

  of(name: string | null | undefined): string {
    if (!name) return ANONYMOUS_OPERATION;
    if (this.names.has(name)) return name;
    if (!OPERATION_NAME.test(name) || this.names.size >= this.max) return OTHER_OPERATION;
    this.names.add(name);
    return name;
  }
}
