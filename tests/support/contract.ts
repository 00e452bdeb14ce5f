import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/** One part of the client contract: its operations file, kept in tests/contract/ as a copy of ../shared/contract/. */
export interface ContractPart {
  /** The repository's copy. */
  path: string;
  /** The shared original, present on the team's machines and in CI. */
  sharedPath: string;
  document: DocumentNode;
  /** The operations' names, in file order. */
  names: string[];
  /** The operation exactly as the apps send it: its own text, cut verbatim from the file; undefined when this part has none of that name. */
  operation(name: string): string | undefined;
}

function contractPart(file: string): ContractPart {
  const copy = path.resolve(__dirname, '..', 'contract', file);
  const source = fs.readFileSync(copy, 'utf8');
  const document = parse(source);
  const operations = document.definitions.filter((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION);
  return {
    path: copy,
    sharedPath: path.resolve(__dirname, '..', '..', '..', 'shared', 'contract', file),
    document,
    names: operations.map((node) => node.name!.value),
    operation(name) {
      const definition = operations.find((node) => node.name?.value === name);
      return definition?.loc ? source.slice(definition.loc.start, definition.loc.end) : undefined;
    },
  };
}

/** Part 1, the apps' operations (operations.graphql, rules in README.md). */
export const operationsPart = contractPart('operations.graphql');
/** Part 2, running a shop (merchant.graphql, rules in merchant.md). */
export const merchantPart = contractPart('merchant.graphql');

/** Part 3, money out (money-out.graphql, rules in money-out.md). */
export const moneyOutPart = contractPart('money-out.graphql');

/** Part 4, partner integration (partners.graphql, rules in partners.md). */
export const partnersPart = contractPart('partners.graphql');

/**
 * Operations of part 4 the schema does not serve yet (issue #19 is being
 * built in steps): tests/contract-schema.test.ts checks that each still fails
 * validation, so this list must shrink as they land, and empties with #19.
 */
export const PARTNERS_NOT_YET_SERVED: readonly string[] = [];

/** Part 5, the internal staff console (console.graphql, rules in console.md). */
export const consolePart = contractPart('console.graphql');

/**
 * Operations of part 5 the schema does not serve yet (issue #20 is being
 * built in steps): tests/contract-schema.test.ts checks that each still fails
 * validation, so this list must shrink as they land, and empties with #20.
 */
export const CONSOLE_NOT_YET_SERVED: readonly string[] = [
  'EnrollStaffTotp',
  'VerifyStaffTotp',
  'StaffSearch',
  'StaffUser',
  'StaffBusiness',
  'StaffPayment',
  'PlatformStats',
  'FreezeWallet',
  'UnfreezeWallet',
  'FreezeBusiness',
  'UnfreezeBusiness',
  'RevokeUserSessions',
  'SetBusinessFeeRate',
  'StaffAuditLog',
];

const PARTS = [operationsPart, merchantPart, moneyOutPart, partnersPart, consolePart];

export const CONTRACT_PATH = operationsPart.path;
export const SHARED_CONTRACT_PATH = operationsPart.sharedPath;
export const contractDocument = operationsPart.document;

/** An operation of any part, verbatim (names are unique across the parts). */
export function contractOperation(name: string): string {
  for (const part of PARTS) {
    const text = part.operation(name);
    if (text) return text;
  }
  throw new Error(`No operation ${name} in the contract.`);
}

/** Part 1's operations (the apps' own). */
export const contractOperationNames = operationsPart.names;
