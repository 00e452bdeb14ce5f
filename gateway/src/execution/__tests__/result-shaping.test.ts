/**
 * The compiled result shaping against @apollo/gateway's own computeResponse,
 * on the same operations and the same subgraph answers: the contract's
 * queries on the real supergraph, and a small schema with what the contract
 * does not use (interfaces, unions, fragments, `@skip`/`@include` with
 * variables and defaults, aliased `__typename`, enums, custom scalars).
 * Answers are generated at random (seeded): clean ones, which it must shape
 * itself, exactly as computeResponse does; and damaged ones (nulls in
 * non-null fields, wrong leaf types, unknown `__typename`s, objects for
 * lists...), where it either gives exactly computeResponse's answer or
 * leaves the answer to computeResponse.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  isCompositeType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  operationFromDocument,
  Supergraph,
  type NamedType,
  type Operation,
  type Schema,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import { computeResponse } from '@apollo/gateway/dist/resultShaping';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { shapeResponse } from '../result-shaping';
import { loadSupergraph } from '../../supergraph';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** mulberry32: a small seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Generator {
  next: () => number;
  /** Chance of damaging any one value (0: a clean, valid answer). */
  damage: number;
  schema: Schema;
}

function pick<T>(gen: Generator, list: readonly T[]): T {
  return list[Math.floor(gen.next() * list.length)]!;
}

function damaged(gen: Generator): boolean {
  return gen.damage > 0 && gen.next() < gen.damage;
}

/** Values of the wrong kind; objects and lists are made anew each time (later selections may fill them). */
const JUNK: Array<() => unknown> = [() => null, () => 42, () => 1.5, () => 'junk', () => true, () => ({}), () => [], () => '', () => Number.NaN];

function runtimeTypes(schema: Schema, type: NamedType): NamedType[] {
  if (isObjectType(type)) return [type];
  return schema
    .types()
    .filter((candidate) => isObjectType(candidate) && (candidate.interfaces().some((implemented) => implemented === type) || (isUnionType(type) && type.members().some((member) => member.type === candidate))));
}

/** A subgraph-style answer for one value of `type` selected by `selectionSet`. */
function valueFor(gen: Generator, type: Type, selectionSet: SelectionSet | undefined, nullable = true): unknown {
  if (damaged(gen)) return pick(gen, JUNK)();
  if (isNonNullType(type)) return valueFor(gen, type.ofType, selectionSet, false);
  if (nullable && gen.next() < 0.1) return null;
  if (isListType(type)) return Array.from({ length: Math.floor(gen.next() * 4) }, () => valueFor(gen, type.ofType, selectionSet));
  if (isCompositeType(type)) {
    const candidates = runtimeTypes(gen.schema, type);
    const runtime = candidates.length > 0 ? pick(gen, candidates) : undefined;
    const object: Record<string, unknown> = {};
    if (runtime && (gen.next() < 0.7 || !isObjectType(type))) object.__typename = runtime.name;
    if (damaged(gen)) object.__typename = pick(gen, ['Nope', 7, '', null, 'Query']);
    fill(gen, object, selectionSet!, runtime);
    if (gen.next() < 0.2) object.unselected = 'kept out';
    return object;
  }
  if (isEnumType(type)) return pick(gen, type.values).name;
  switch (type.name) {
    case 'Int':
      return Math.floor(gen.next() * 1000);
    case 'Float':
      return gen.next() * 100;
    case 'Boolean':
      return gen.next() < 0.5;
    case 'ID':
      return gen.next() < 0.8 ? `id_${Math.floor(gen.next() * 1e6)}` : Math.floor(gen.next() * 1e6);
    case 'String':
      return `text ${Math.floor(gen.next() * 1e6)}`;
    default:
      // Custom scalars (DateTime, Decimal, JSON): any value is passed through.
      return gen.next() < 0.8 ? `custom ${Math.floor(gen.next() * 1e6)}` : { nested: [1, 'two'] };
  }
}

function fill(gen: Generator, object: Record<string, unknown>, selectionSet: SelectionSet, runtime: NamedType | undefined): void {
  for (const selection of selectionSet.selections()) {
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      if (damaged(gen)) continue; // missing from the answer
      if (field.name === '__typename') {
        if (runtime && gen.next() < 0.8) object[field.responseName()] = runtime.name;
        continue;
      }
      const existing = object[field.responseName()];
      // Selected again (in another fragment): the subgraphs' answer holds both selections' fields.
      if (existing !== undefined && selection.selectionSet) extend(gen, existing, selection.selectionSet);
      else object[field.responseName()] = valueFor(gen, field.definition.type!, selection.selectionSet);
    } else {
      const condition = selection.element.typeCondition;
      if (!condition || !runtime || condition.name === runtime.name || gen.next() < 0.5) fill(gen, object, selection.selectionSet, runtime);
    }
  }
}

function extend(gen: Generator, value: unknown, selectionSet: SelectionSet): void {
  if (Array.isArray(value)) for (const element of value) extend(gen, element, selectionSet);
  else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    fill(gen, object, selectionSet, typeof object.__typename === 'string' ? (gen.schema.type(object.__typename) ?? selectionSet.parentType) : selectionSet.parentType);
  }
}

/** What happens with each implementation, as JSON (data with its prototype, errors with their paths), or what it threw. */
function apollo(operation: Operation, variables: Record<string, unknown>, input: Record<string, unknown>): string {
  try {
    const { data, errors } = computeResponse({ operation, variables, input, introspectionHandling: () => ({ introspected: true }) });
    return JSON.stringify({ data, nullPrototype: data ? Object.getPrototypeOf(data) === null : null, errors: errors.map((error) => ({ message: error.message, path: error.path, code: error.extensions.code })) });
  } catch (error) {
    return JSON.stringify({ threw: (error as Error).message });
  }
}

function compiled(operation: Operation, variables: Record<string, unknown>, input: Record<string, unknown>): string | undefined {
  const shaped = shapeResponse({ operation, variables, input });
  if (!shaped) return undefined;
  return JSON.stringify({ data: shaped.data, nullPrototype: Object.getPrototypeOf(shaped.data) === null, errors: shaped.errors });
}

interface Case {
  name: string;
  operation: Operation;
  variables: Array<Record<string, unknown>>;
}

/** Runs `rounds` random answers per case; returns how many of them the compiled shaping answered itself. */
function compare(cases: Case[], seed: number, damage: number, rounds: number): { shaped: number; total: number } {
  let shaped = 0;
  let total = 0;
  for (const { name, operation, variables: variableSets } of cases) {
    const gen: Generator = { next: random(seed), damage, schema: operation.schema() };
    for (let round = 0; round < rounds; round++) {
      const rootType = operation.schema().schemaDefinition.rootType(operation.rootKind)!;
      const input: Record<string, unknown> = {};
      fill(gen, input, operation.selectionSet, rootType);
      const variables = pick(gen, variableSets);
      const before = JSON.stringify(input);
      const copy = structuredClone(input); // keeps NaN, which JSON would turn into null
      const ours = compiled(operation, variables, input);
      expect(input).toEqual(copy); // never changes the subgraphs' answer
      total++;
      if (ours === undefined) continue;
      shaped++;
      const theirs = apollo(operation, variables, copy);
      if (ours !== theirs) throw new Error(`${name}, seed ${seed}, round ${round}, input ${before}, variables ${JSON.stringify(variables)}:\nours   ${ours}\ntheirs ${theirs}`);
    }
  }
  return { shaped, total };
}

describe('compiled result shaping on the contract operations (real supergraph)', () => {
  const supergraph = loadSupergraph(path.join(ROOT, 'schema', 'supergraph.graphql'));
  const apiSchema = Supergraph.build(supergraph.sdl).apiSchema();
  const contract = parse(fs.readFileSync(path.join(ROOT, 'tests', 'contract', 'operations.graphql'), 'utf8'));
  const fragments = contract.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  const queries = contract.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION && definition.operation !== 'subscription');
  const cases: Case[] = queries.map((query) => ({
    name: query.name!.value,
    operation: operationFromDocument(apiSchema, { kind: Kind.DOCUMENT, definitions: [query, ...fragments] }, { validate: true }),
    variables: [{}],
  }));

  it('covers every query and mutation of the contract', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it('shapes every clean answer itself, exactly as computeResponse does', () => {
    const { shaped, total } = compare(cases, 1, 0, 40);
    expect(shaped).toBe(total);
  });

  it.each([2, 3, 4, 5])('on damaged answers (seed %i) answers exactly as computeResponse, or leaves them to it', (seed) => {
    const { shaped, total } = compare(cases, seed, 0.03, 40);
    // Both paths are taken: some answers survive the damage, some do not.
    expect(shaped).toBeGreaterThan(0);
    expect(shaped).toBeLessThan(total);
  });
});

describe('compiled result shaping on abstract types, fragments and conditions', () => {
  const schema = buildSchema(`
    scalar JSON
    enum Color { RED GREEN }
    interface Node { id: ID! }
    type Person implements Node { id: ID! name: String! age: Int friends: [Person!] color: Color }
    type Shop implements Node { id: ID! title: String rating: Float open: Boolean! data: JSON }
    union Result = Person | Shop
    type Query {
      node(id: ID!): Node
      search(text: String): [Result!]!
      matrix: [[Int]]
      me: Person!
    }
  `);
  const operation = (query: string) => operationFromDocument(schema, parse(query), { validate: true });
  const VARIABLE_SETS = [{}, { skip: true }, { skip: false }, { show: true, skip: true }, { show: false }, { skip: 'yes' }, { show: null }];
  const cases: Case[] = [
    ['aliases and nested lists', '{ me { who: name age friends { id name } } matrix }'],
    ['an interface with inline fragments', '{ node(id: "1") { __typename id ... on Person { name color } ... on Shop { title rating open data } } }'],
    ['a union through named fragments', 'query { search(text: "x") { ...P ...S } } fragment P on Person { id name } fragment S on Shop { id title }'],
    ['an aliased __typename', '{ node(id: "1") { kind: __typename id } search { t: __typename ... on Person { id } } }'],
    ['@skip and @include with variables and a default', 'query ($skip: Boolean!, $show: Boolean = true) { me { name @skip(if: $skip) age @include(if: $show) friends @include(if: false) { id } } node(id: "1") @skip(if: true) { id } }'],
    ['a fragment under a condition', 'query ($show: Boolean = false) { node(id: "2") { id ... on Person @include(if: $show) { name } } }'],
    ['one response name selected twice, merged', '{ me { name ... on Person { name age friends { id } } friends { name } } }'],
    ['fragments that overlap', '{ node(id: "1") { id ... on Node { id } ... on Person { name friends { id } } ... on Person { friends { name color } } } }'],
    ['__typename selected twice', '{ search { __typename ... on Person { __typename id } ... on Shop { kind: __typename } } }'],
    ['a conditional repeat', 'query ($skip: Boolean!) { me { name @skip(if: $skip) ... on Person { name age @skip(if: $skip) } } }'],
  ].map(([name, query]) => ({ name: name!, operation: operation(query!), variables: VARIABLE_SETS }));

  it('shapes every clean answer itself, exactly as computeResponse does', () => {
    const clean = cases.map((entry) => ({ ...entry, variables: [{ skip: false }, { skip: true, show: false }, { skip: true }] }));
    const { shaped, total } = compare(clean, 11, 0, 200);
    expect(shaped).toBe(total);
  });

  it.each([12, 13, 14])('on damaged answers and bad variables (seed %i) answers exactly as computeResponse, or leaves them to it', (seed) => {
    const { shaped, total } = compare(cases, seed, 0.05, 200);
    expect(shaped).toBeGreaterThan(0);
    expect(shaped).toBeLessThan(total);
  });

  it('leaves introspection to computeResponse (it answers it from the schema)', () => {
    for (const query of ['{ me { name } __schema { queryType { name } } }', '{ __type(name: "Person") { name } }']) {
      expect(shapeResponse({ operation: operation(query), input: { me: { name: 'A', age: 1 } } })).toBeUndefined();
    }
  });

  it('merges a response name selected twice into the first one, in the order of first selection', () => {
    const op = operation('{ me { friends { id } name ... on Person { age friends { name } name } } }');
    const input = { me: { __typename: 'Person', name: 'A', age: 3, friends: [{ id: '1', name: 'B' }] } };
    expect(JSON.stringify(shapeResponse({ operation: op, input })!.data)).toBe(JSON.stringify({ me: { friends: [{ id: '1', name: 'B' }], name: 'A', age: 3 } }));
  });

  it('keeps the subgraph answer as computeResponse does when a leaf type is a custom scalar', () => {
    const op = operation('{ node(id: "1") { ... on Shop { data } } }');
    const input = { node: { __typename: 'Shop', data: { any: ['json', 1] } } };
    expect(JSON.stringify(shapeResponse({ operation: op, input })!.data)).toBe(JSON.stringify({ node: { data: { any: ['json', 1] } } }));
  });
});
