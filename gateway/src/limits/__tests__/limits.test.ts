import fs from 'node:fs';
import path from 'node:path';
import { apiSchemaOf, SUPERGRAPH_PATH } from '@harbour/schema';
import { getOperationAST, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { checkOperation, checkTokens, DEFAULT_LIMITS, type OperationLimits } from '../limits';
import { tokenPrecheck } from '../plugin';

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
});
