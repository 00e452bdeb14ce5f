/**
 * Partner integrators read the schema in the explorer and in
 * `GET /schema.graphql`: every public type, field, argument, enum value and
 * input field of the composed API schema says what it is.
 */
import fs from 'node:fs';
import { SUPERGRAPH_PATH, apiSchemaOf } from '@harbour/schema';
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isIntrospectionType, isObjectType, isSpecifiedScalarType, type GraphQLSchema } from 'graphql';

/** Schema coordinates (`Type.field(arg:)`) of every public element without a description. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    const isRoot = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(type as never);
    if (!isRoot) check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}

it('every public type, field, argument, enum value and input field of the API schema has a description', () => {
  expect(undescribed(apiSchemaOf(fs.readFileSync(SUPERGRAPH_PATH, 'utf8')))).toEqual([]);
});

it('the check names what is undescribed (it can fail)', () => {
  const schema = buildSchema(`
    "Described."
    type Query { "Described." a(x: Int): Int b: Kind }
    enum Kind { "Described." ONE TWO }
  `);
  expect(undescribed(schema)).toEqual(['Query.a(x:)', 'Query.b', 'Kind', 'Kind.TWO']);
});
