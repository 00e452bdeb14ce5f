import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';

/** The repository's copy of the client contract (tests/contract/operations.graphql). */
export const CONTRACT_PATH = path.resolve(__dirname, '..', 'contract', 'operations.graphql');
/** The shared original, present on the team's machines and in CI. */
export const SHARED_CONTRACT_PATH = path.resolve(__dirname, '..', '..', '..', 'shared', 'contract', 'operations.graphql');

const source = fs.readFileSync(CONTRACT_PATH, 'utf8');
export const contractDocument = parse(source);

/** The operation exactly as the apps send it: its own text, cut verbatim from the contract file. */
export function contractOperation(name: string): string {
  const definition = contractDocument.definitions.find(
    (node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION && node.name?.value === name,
  );
  if (!definition?.loc) throw new Error(`No operation ${name} in the contract.`);
  return source.slice(definition.loc.start, definition.loc.end);
}

export const contractOperationNames = contractDocument.definitions
  .filter((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION)
  .map((node) => node.name!.value);
