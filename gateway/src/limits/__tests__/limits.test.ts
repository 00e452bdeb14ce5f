import fs from 'node:fs';
import path from 'node:path';
import { apiSchemaOf, SUPERGRAPH_PATH } from '@harbour/schema';
import { getIntrospectionQuery, getOperationAST, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { checkOperation, checkTokens, DEFAULT_LIMITS, type OperationLimits } from '../limits';
import { operationLimitsPlugin, tokenPrecheck } from '../plugin';

const schema = apiSchemaOf(fs.readFileSync(SUPERGRAPH_PATH, 'utf8'));
const contract = fs.readFileSync(path.resolve(__dirname, '../../../../tests/contract/operations.graphql'), 'utf8');

function check(query: string, variables: Record<string, unknown> = {}, limits: OperationLimits = DEFAULT_LIMITS) {
  checkTokens(query, limits);
  const document = parse(query);
  checkOperation(schema, document, getOperationAST(document)!, variables, limits);
}

const codeOf = (run: () => void) => {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { extensions?: { code?: string; limit?: string } }).extensions;
  }
};

describe('operation limits', () => {
  it('every contract operation passes with room to spare (each limit halved still passes)', () => {
    const half: OperationLimits = Object.fromEntries(Object.entries(DEFAULT_LIMITS).map(([key, value]) => [key, Math.floor(value / 2)])) as never;
    const operations = parse(contract).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations).toHaveLength(23);
    for (const operation of operations) {
      const document = { kind: Kind.DOCUMENT, definitions: [operation] } as const;
      expect(() => checkOperation(schema, document, operation, { first: 20 }, half)).not.toThrow();
    }
    checkTokens(contract.slice(0, 4_000), { ...half, maxTokens: 1_000 });
  });

  it('a depth-50 query is refused, naming maxDepth', () => {
    const deep = `{ me { ${'businesses { owner { '.repeat(25)}id${' } }'.repeat(25)} } }`;
    expect(codeOf(() => check(deep))).toEqual({ code: 'OPERATION_TOO_COMPLEX', limit: 'maxDepth', http: { status: 400 } });
  });

  describe('introspection', () => {
    /** Every option graphql-js's getIntrospectionQuery has: what Codegen, Rover, Postman and Sandbox send. */
    const standard = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });

    it('the standard introspection query, with every option, passes: it nests 15 deep, under its own limit', () => {
      expect(() => check(standard)).not.toThrow();
      expect(codeOf(() => check(standard, {}, { ...DEFAULT_LIMITS, maxIntrospectionDepth: 14 }))).toMatchObject({ limit: 'maxIntrospectionDepth' });
      // Without a limit of its own, the operation's would refuse it: what partners' tools met before.
      expect(codeOf(() => check(standard, {}, { ...DEFAULT_LIMITS, maxIntrospectionDepth: DEFAULT_LIMITS.maxDepth }))).toMatchObject({
        code: 'OPERATION_TOO_COMPLEX',
        limit: 'maxIntrospectionDepth',
      });
    });

    it('a deep ofType chain is still refused, naming maxIntrospectionDepth', () => {
      const deep = `{ __type(name: "User") { fields { type { ${'ofType { '.repeat(30)}name${' }'.repeat(30)} } } } }`;
      expect(codeOf(() => check(deep))).toEqual({ code: 'OPERATION_TOO_COMPLEX', limit: 'maxIntrospectionDepth', http: { status: 400 } });
      const viaSchema = `{ __schema { types { fields { type { ${'ofType { '.repeat(30)}name${' }'.repeat(30)} } } } } }`;
      expect(codeOf(() => check(viaSchema))).toMatchObject({ limit: 'maxIntrospectionDepth' });
    });

    it('an operation that also introspects keeps the operation depth limit for its own fields', () => {
      const deep = `{ __typename __schema { queryType { name } } me { ${'businesses { owner { '.repeat(25)}id${' } }'.repeat(25)} } }`;
      expect(codeOf(() => check(deep))).toMatchObject({ limit: 'maxDepth' });
    });
  });

  it('a 10,000-alias query is refused before it is even parsed, naming maxTokens', () => {
    const aliases = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect(codeOf(() => checkTokens(aliases, DEFAULT_LIMITS))).toMatchObject({ code: 'OPERATION_TOO_COMPLEX', limit: 'maxTokens' });
  });

  it('the precheck remembers documents that passed, never one that did not', () => {
    const precheck = tokenPrecheck({ ...DEFAULT_LIMITS, maxTokens: 12 });
    const small = '{ me { id displayName } }';
    const big = '{ me { id displayName phone businesses { id name } } }';
    for (let i = 0; i < 3; i++) {
      expect(() => precheck({ body: { query: small }, search: '' })).not.toThrow();
      expect(codeOf(() => precheck({ body: { query: big }, search: '' }))).toMatchObject({ limit: 'maxTokens' });
      expect(codeOf(() => precheck({ body: {}, search: `?query=${encodeURIComponent(big)}` }))).toMatchObject({ limit: 'maxTokens' });
    }
  });

  it('aliases and root fields have their own limits', () => {
    const manyAliases = `{ me { ${Array.from({ length: 40 }, (_, i) => `n${i}: displayName`).join(' ')} } }`;
    expect(codeOf(() => check(manyAliases))).toMatchObject({ limit: 'maxAliases' });
    const manyRoots = `{ ${Array.from({ length: 11 }, (_, i) => `b${i}: business(id: "biz_${i}") { id }`).join(' ')} }`;
    expect(codeOf(() => check(manyRoots, {}, { ...DEFAULT_LIMITS, maxAliases: 100 }))).toMatchObject({ limit: 'maxRootFields' });
  });

  it('a cost bomb (lists of lists at first: 100) is refused, naming maxCost', () => {
    const bomb = '{ me { friends(first: 100) { edges { node { friends(first: 100) { edges { node { friends(first: 100) { edges { node { id } } } } } } } } } } }';
    expect(codeOf(() => check(bomb))).toMatchObject({ code: 'OPERATION_TOO_COMPLEX', limit: 'maxCost' });
    // The same shape with variables counts their values.
    const variable = 'query($n: Int) { me { friends(first: $n) { edges { node { friends(first: $n) { edges { node { id } } } } } } } }';
    expect(codeOf(() => check(variable, { n: 100 }))).toMatchObject({ limit: 'maxCost' });
    expect(codeOf(() => check(variable, { n: 5 }))).toBeUndefined();
  });

  describe('the plugin remembers operations that passed', () => {
    async function resolve(plugin: ReturnType<typeof operationLimitsPlugin>, document: ReturnType<typeof parse>, variables: Record<string, unknown>, against = schema) {
      const listener = await plugin.requestDidStart!({} as never);
      return listener!.didResolveOperation!({ document, operation: getOperationAST(document)!, request: { variables }, schema: against } as never);
    }

    it('walks an operation whose `first`s are literals once, whatever its variables', async () => {
      const plugin = operationLimitsPlugin({ ...DEFAULT_LIMITS, maxCost: 100 });
      const document = parse('query ($id: ID!) { business(id: $id) { id payments(first: 20) { edges { node { id } } } } }');
      // Every walk starts at the schema's root type: this schema counts them.
      let walks = 0;
      const counting = Object.create(schema, { getQueryType: { value: () => (walks++, schema.getQueryType()) } }) as typeof schema;
      for (let i = 0; i < 3; i++) await expect(resolve(plugin, document, { id: `biz_${i}` }, counting)).resolves.toBeUndefined();
      expect(walks).toBe(1);
      // Against another schema (a supergraph update), it is checked again.
      await expect(resolve(plugin, document, { id: 'biz_x' })).resolves.toBeUndefined();
      await expect(resolve(plugin, document, { id: 'biz_y' }, counting)).resolves.toBeUndefined();
      expect(walks).toBe(2);
    });

    it('checks an operation with a `first` from a variable every time: a large one is refused after a small one passed', async () => {
      const plugin = operationLimitsPlugin({ ...DEFAULT_LIMITS, maxCost: 100 });
      const document = parse('query ($n: Int) { me { friends(first: $n) { edges { node { id displayName } } } } }');
      await expect(resolve(plugin, document, { n: 5 })).resolves.toBeUndefined();
      await expect(resolve(plugin, document, { n: 10_000 })).rejects.toMatchObject({ extensions: { code: 'OPERATION_TOO_COMPLEX', limit: 'maxCost' } });
      await expect(resolve(plugin, document, { n: 5 })).resolves.toBeUndefined();
    });

    it('never remembers a refusal', async () => {
      const plugin = operationLimitsPlugin({ ...DEFAULT_LIMITS, maxDepth: 3 });
      const document = parse('{ me { businesses { owner { businesses { id } } } } }');
      for (let i = 0; i < 2; i++) await expect(resolve(plugin, document, {})).rejects.toMatchObject({ extensions: { limit: 'maxDepth' } });
    });
  });
});
