/**
 * Every operation the apps send must validate against the composed API
 * schema, verbatim. The repository keeps its own copy of the contract; when
 * the team's shared original is present, the copy must match it.
 */
import fs from 'node:fs';
import { SUPERGRAPH_PATH, apiSchemaOf } from '@harbour/schema';
import { parse, validate } from 'graphql';
import { CONTRACT_PATH, SHARED_CONTRACT_PATH, contractOperation, contractOperationNames } from './support/contract';

const apiSchema = apiSchemaOf(fs.readFileSync(SUPERGRAPH_PATH, 'utf8'));

describe('the client contract against the composed schema', () => {
  it('has the operations the apps send', () => {
    expect(contractOperationNames.length).toBe(23);
  });

  it.each(contractOperationNames)('%s validates', (name) => {
    const errors = validate(apiSchema, parse(contractOperation(name)));
    expect(errors.map((error) => error.message)).toEqual([]);
  });

  const sharedIt = fs.existsSync(SHARED_CONTRACT_PATH) ? it : it.skip;
  sharedIt('the repository copy is the shared contract, byte for byte', () => {
    expect(fs.readFileSync(CONTRACT_PATH, 'utf8')).toBe(fs.readFileSync(SHARED_CONTRACT_PATH, 'utf8'));
  });

  it('a field the schema lacks fails validation (the check can fail)', () => {
    const errors = validate(apiSchema, parse('query { me { id walletBalanceThatDoesNotExist } }'));
    expect(errors).toHaveLength(1);
  });
});
