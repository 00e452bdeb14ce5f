import {
  isCompositeType,
  isCustomScalarType,
  isListType,
  isNonNullType,
  isSubtype,
  isValidLeafValue,
  typenameFieldName,
  Variable,
  type CompositeType,
  type DirectiveDefinition,
  type Field,
  type FragmentElement,
  type EnumType,
  type NamedType,
  type ScalarType,
  type Operation,
  type Schema,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';

/**
 * The last step of executing a query plan: the subgraphs' merged answers are
 * cut down to what the client asked for, in the order it asked for it.
 * `@apollo/gateway`'s `computeResponse` does this by walking the operation's
 * selections for every response, asking the schema about every field and
 * directive each time (in a CPU profile of the gateway, about a tenth of its
 * time for `BusinessDashboard`, and a third of what it allocates).
 *
 * Here each operation is compiled once into a plain tree of steps (response
 * names, value shapes, `@skip`/`@include` conditions, type conditions),
 * and the tree is applied to each response. It produces exactly what
 * `computeResponse` produces, and only for answers that are complete and
 * valid: anything `computeResponse` would report as an error or null out (a
 * null in a non-null field, an invalid leaf or `__typename`, an ill-typed
 * answer, a non-boolean `@skip` variable) makes it give up (`undefined`), and
 * the caller hands the same input to `computeResponse`, which then writes the
 * errors as it always did. Operations with introspection fields are not
 * compiled at all: `computeResponse` answers them with its own handler. A
 * response name selected twice at one level (directly and in a fragment) is
 * merged as `computeResponse` merges it.
 */

type Condition = { variable: string } | { literal: unknown };

interface Conditions {
  skip?: Condition | undefined;
  include?: Condition | undefined;
}

/** `selects`: the field has a selection set (its innermost type is composite). */
type Shape =
  | { kind: 'nonNull'; of: Shape; selects: boolean }
  | { kind: 'list'; of: Shape; selects: boolean }
  | { kind: 'composite'; type: CompositeType; steps: Step[]; selects: true }
  /** `anyValue`: a custom scalar (any value is valid); `anyString`: String or ID (any string is). Other values ask isValidLeafValue. */
  | { kind: 'leaf'; type: ScalarType | EnumType; anyValue: boolean; anyString: boolean; selects: false };

type Step =
  | { kind: 'field'; responseName: string; conditions: Conditions | undefined; shape: Shape }
  | { kind: 'typename'; responseName: string; conditions: Conditions | undefined }
  | { kind: 'fragment'; conditions: Conditions | undefined; typeCondition: TypeCondition | undefined; steps: Step[] };

/** A fragment's type condition, with its answers remembered by runtime type name (both sets are bounded by the schema). */
interface TypeCondition {
  type: CompositeType;
  /** For objects that name their type (`__typename`): does the condition apply to that type? */
  byTypename: Map<string, boolean>;
  /** For objects that do not: does it apply to the parent type? */
  byParentType: Map<NamedType, boolean>;
}

interface Plan {
  schema: Schema;
  /** The composite types the answers' `__typename`s named so far (only the schema's own, so no more than it has). */
  compositeTypes: Map<string, CompositeType>;
  rootType: CompositeType;
  steps: Step[];
  /** The operation's variables with default values, under which the request's own are laid (only when a condition reads a variable). */
  defaults: Record<string, unknown> | undefined;
}

/** Why an operation is left to `computeResponse` entirely. */
class NotCompiled extends Error {}

const BAIL: unique symbol = Symbol('bail');
type Bail = typeof BAIL;

export interface ShapeInput {
  operation: Operation;
  variables?: Record<string, unknown> | undefined;
  input: Record<string, unknown> | null | undefined;
}

export interface ShapedResponse {
  data: Record<string, unknown>;
  errors: [];
}

const plans = new WeakMap<Operation, Plan | null>();

/**
 * What `computeResponse` returns for this input when the answer is complete
 * and valid; `undefined` when it is not (or the operation is not compiled),
 * so that `computeResponse` must answer.
 */
export function shapeResponse({ operation, variables, input }: ShapeInput): ShapedResponse | undefined {
  if (!input) return undefined;
  let plan = plans.get(operation);
  if (plan === undefined) {
    plan = compile(operation);
    plans.set(operation, plan);
  }
  if (!plan) return undefined;
  const values = plan.defaults ? { __proto__: null, ...plan.defaults, ...variables } : (variables ?? {});
  const data = Object.create(null) as Record<string, unknown>;
  return applySteps(plan, plan.steps, input, data, plan.rootType, values) ? { data, errors: [] } : undefined;
}

function compile(operation: Operation): Plan | null {
  const schema = operation.schema();
  const context = { schema, readsVariables: false };
  try {
    const steps = compileSelections(context, operation.selectionSet);
    return {
      schema,
      compositeTypes: new Map(),
      rootType: schema.schemaDefinition.rootType(operation.rootKind)!,
      steps,
      defaults: context.readsVariables ? operation.collectDefaultedVariableValues() : undefined,
    };
  } catch (error) {
    if (error instanceof NotCompiled) return null;
    throw error;
  }
}

interface CompileContext {
  schema: Schema;
  readsVariables: boolean;
}

function compileSelections(context: CompileContext, selectionSet: SelectionSet): Step[] {
  return selectionSet.selections().map((selection): Step => {
    const conditions = conditionsOf(context, selection.element);
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      if (field.definition.isSchemaIntrospectionField()) throw new NotCompiled('introspection');
      const responseName = field.responseName();
      if (field.name === typenameFieldName) return { kind: 'typename', responseName, conditions };
      return { kind: 'field', responseName, conditions, shape: compileShape(context, field.definition.type!, selection.selectionSet) };
    }
    const { typeCondition } = selection.element;
    return {
      kind: 'fragment',
      conditions,
      typeCondition: typeCondition ? { type: typeCondition, byTypename: new Map(), byParentType: new Map() } : undefined,
      steps: compileSelections(context, selection.selectionSet),
    };
  });
}

function compileShape(context: CompileContext, type: Type, selectionSet: SelectionSet | undefined): Shape {
  if (isNonNullType(type)) {
    const of = compileShape(context, type.ofType, selectionSet);
    return { kind: 'nonNull', of, selects: of.selects };
  }
  if (isListType(type)) {
    const of = compileShape(context, type.ofType, selectionSet);
    return { kind: 'list', of, selects: of.selects };
  }
  if (isCompositeType(type)) {
    if (!selectionSet) throw new NotCompiled('a composite field without selections');
    return { kind: 'composite', type, steps: compileSelections(context, selectionSet), selects: true };
  }
  const { schema } = context;
  return { kind: 'leaf', type: type as ScalarType | EnumType, anyValue: isCustomScalarType(type), anyString: type === schema.stringType() || type === schema.idType(), selects: false };
}

function conditionsOf(context: CompileContext, element: Field | FragmentElement): Conditions | undefined {
  const skip = directiveCondition(context, element, context.schema.skipDirective());
  const include = directiveCondition(context, element, context.schema.includeDirective());
  return skip || include ? { skip, include } : undefined;
}

function directiveCondition(context: CompileContext, element: Field | FragmentElement, definition: DirectiveDefinition<{ if: boolean | Variable }>): Condition | undefined {
  const directive = element.appliedDirectivesOf(definition)[0];
  if (!directive) return undefined;
  const value: unknown = directive.arguments().if;
  if (value instanceof Variable) {
    context.readsVariables = true;
    return { variable: value.name };
  }
  return { literal: value };
}

/** `if:` of a `@skip`/`@include`; a variable that is not a boolean is an error for `computeResponse` to report. */
function conditionValue(condition: Condition, variables: Record<string, unknown>): unknown {
  if ('literal' in condition) return condition.literal;
  const value = variables[condition.variable];
  return typeof value === 'boolean' ? value : BAIL;
}

/** true: leave the selection out; BAIL: a bad variable. Evaluated in computeResponse's order (`@skip` first). */
function skipped(conditions: Conditions, variables: Record<string, unknown>): boolean | Bail {
  if (conditions.skip) {
    const skip = conditionValue(conditions.skip, variables);
    if (skip === BAIL) return BAIL;
    if (skip) return true;
  }
  if (conditions.include) {
    const include = conditionValue(conditions.include, variables);
    if (include === BAIL) return BAIL;
    if (!include) return true;
  }
  return false;
}

function own(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/**
 * One selection set applied to one object of the answer, into `output`. A
 * response name can be selected more than once at one level (directly and in
 * a fragment, or in two fragments); as computeResponse does, the first value
 * written stays, and later selections of an object add to that object.
 */
function applySteps(plan: Plan, steps: Step[], input: Record<string, unknown>, output: Record<string, unknown>, parentType: NamedType, variables: Record<string, unknown>): boolean {
  for (const step of steps) {
    if (step.conditions) {
      const skip = skipped(step.conditions, variables);
      if (skip === BAIL) return false;
      if (skip) continue;
    }
    if (step.kind === 'field') {
      const value = shapeValue(plan, step.shape, own(input, step.responseName) ?? null, variables, output[step.responseName]);
      if (value === BAIL) return false;
      output[step.responseName] = value;
    } else if (step.kind === 'typename') {
      if (output[step.responseName] !== undefined) continue;
      let value = own(input, step.responseName) ?? null;
      if (value === null && step.responseName !== typenameFieldName) value = input[typenameFieldName] ?? null;
      const type = typeof value === 'string' ? (plan.schema.type(value) ?? parentType) : parentType;
      if (type.kind !== 'ObjectType') return false;
      output[step.responseName] = type.name;
    } else {
      const typename = input[typenameFieldName];
      if (typename && typeof typename !== 'string') return false;
      if (step.typeCondition && !conditionApplies(plan.schema, step.typeCondition, typename as string | undefined, parentType)) continue;
      if (!applySteps(plan, step.steps, input, output, step.typeCondition?.type ?? parentType, variables)) return false;
    }
  }
  return true;
}

function conditionApplies(schema: Schema, condition: TypeCondition, typename: string | undefined, parentType: NamedType): boolean {
  if (typename) {
    let applies = condition.byTypename.get(typename);
    if (applies === undefined) {
      const type = schema.type(typename);
      if (!type) return false; // not remembered: only the schema's own names are
      applies = isSubtype(condition.type, type);
      condition.byTypename.set(typename, applies);
    }
    return applies;
  }
  let applies = condition.byParentType.get(parentType);
  if (applies === undefined) {
    applies = isSubtype(condition.type, parentType);
    condition.byParentType.set(parentType, applies);
  }
  return applies;
}

/** One value of the answer; `existing` is what an earlier selection of the same response name wrote (undefined: none). */
function shapeValue(plan: Plan, shape: Shape, input: unknown, variables: Record<string, unknown>, existing: unknown): unknown {
  if (existing === null || (existing !== undefined && !shape.selects)) return existing;
  switch (shape.kind) {
    case 'nonNull': {
      const value = shapeValue(plan, shape.of, input, variables, existing);
      // A null here is an error (and nulls its parent) for computeResponse to report.
      return value === null ? BAIL : value;
    }
    case 'list': {
      if (input === null) return null;
      if (!Array.isArray(input)) return BAIL;
      if (existing !== undefined && (!Array.isArray(existing) || existing.length !== input.length)) return BAIL;
      const list: unknown[] = [];
      for (let index = 0; index < input.length; index++) {
        const element: unknown = input[index];
        if (element === undefined) return BAIL;
        const value = shapeValue(plan, shape.of, element, variables, existing === undefined ? undefined : (existing as unknown[])[index]);
        if (value === BAIL) return BAIL;
        list.push(value);
      }
      return list;
    }
    case 'composite': {
      if (input === null) return null;
      if (typeof input !== 'object' || Array.isArray(input)) return BAIL;
      if (existing !== undefined && (typeof existing !== 'object' || Array.isArray(existing))) return BAIL;
      const object = input as Record<string, unknown>;
      const typename = object[typenameFieldName];
      let type: NamedType = shape.type;
      if (typename !== undefined) {
        if (typeof typename !== 'string') return BAIL;
        if (typename) {
          let named = plan.compositeTypes.get(typename);
          if (!named) {
            const found = plan.schema.type(typename);
            if (!found || !isCompositeType(found)) return BAIL;
            plan.compositeTypes.set(typename, (named = found));
          }
          type = named;
        }
      }
      const output = (existing ?? Object.create(null)) as Record<string, unknown>;
      return applySteps(plan, shape.steps, object, output, type, variables) ? output : BAIL;
    }
    case 'leaf':
      if (input === null) return null;
      return shape.anyValue || (shape.anyString && typeof input === 'string') || isValidLeafValue(plan.schema, input, shape.type) ? input : BAIL;
  }
}
