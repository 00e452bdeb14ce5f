import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@harbour/config';
import {
  Kind,
  getOperationAST,
  parse,
  print,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationTypeNode,
} from 'graphql';
import { z } from 'zod';

/** The client contract, the source of the contract's manifest. */
export const CONTRACT_OPERATIONS_PATH = path.join(REPO_ROOT, 'tests', 'contract', 'operations.graphql');
/** The committed manifest of the contract (`npm run schema:compose` writes it, `schema:check` compares it). */
export const CONTRACT_MANIFEST_PATH = path.join(REPO_ROOT, 'schema', 'trusted-documents', 'contract.json');
/** Contract part 2, running a shop, and its manifest. */
export const MERCHANT_OPERATIONS_PATH = path.join(REPO_ROOT, 'tests', 'contract', 'merchant.graphql');
export const MERCHANT_MANIFEST_PATH = path.join(REPO_ROOT, 'schema', 'trusted-documents', 'merchant.json');
/** Contract part 3, money out, and its manifest. */
export const MONEY_OUT_OPERATIONS_PATH = path.join(REPO_ROOT, 'tests', 'contract', 'money-out.graphql');
export const MONEY_OUT_MANIFEST_PATH = path.join(REPO_ROOT, 'schema', 'trusted-documents', 'money-out.json');
/** Contract part 4, partner integration, and its manifest. */
export const PARTNERS_OPERATIONS_PATH = path.join(REPO_ROOT, 'tests', 'contract', 'partners.graphql');
export const PARTNERS_MANIFEST_PATH = path.join(REPO_ROOT, 'schema', 'trusted-documents', 'partners.json');
/** Contract part 5, the staff console, and its manifest. */
export const CONSOLE_OPERATIONS_PATH = path.join(REPO_ROOT, 'tests', 'contract', 'console.graphql');
export const CONSOLE_MANIFEST_PATH = path.join(REPO_ROOT, 'schema', 'trusted-documents', 'console.json');
/** Every manifest the gateway trusts by default, one per contract part. */
export const CONTRACT_MANIFEST_PATHS = [CONTRACT_MANIFEST_PATH, MERCHANT_MANIFEST_PATH, MONEY_OUT_MANIFEST_PATH, PARTNERS_MANIFEST_PATH, CONSOLE_MANIFEST_PATH];

/** Every manifest the contract makes, as `npm run schema:compose` writes them (the gateway trusts them all by default). */
export function contractManifests(): Array<{ path: string; manifest: PersistedQueryManifest }> {
  return [
    { path: CONTRACT_MANIFEST_PATH, manifest: manifestOf(fs.readFileSync(CONTRACT_OPERATIONS_PATH, 'utf8')) },
    { path: MERCHANT_MANIFEST_PATH, manifest: manifestOf(fs.readFileSync(MERCHANT_OPERATIONS_PATH, 'utf8')) },
    { path: MONEY_OUT_MANIFEST_PATH, manifest: manifestOf(fs.readFileSync(MONEY_OUT_OPERATIONS_PATH, 'utf8')) },
    { path: PARTNERS_MANIFEST_PATH, manifest: manifestOf(fs.readFileSync(PARTNERS_OPERATIONS_PATH, 'utf8')) },
    { path: CONSOLE_MANIFEST_PATH, manifest: manifestOf(fs.readFileSync(CONSOLE_OPERATIONS_PATH, 'utf8')) },
  ];
}

/** One registered operation, as Apollo's persisted query manifest lists it. */
export interface ManifestOperation {
  /** What a client sends as `extensions.persistedQuery.sha256Hash`: here, sha256 hex of `body`. */
  id: string;
  name: string;
  type: `${OperationTypeNode}`;
  /** graphql-js `print()` of the operation and the fragments it uses, fragments sorted by name. */
  body: string;
}

/**
 * Apollo's persisted query manifest format (what `@apollo/generate-persisted-query-manifest`
 * writes and GraphOS and the Router read), so client tooling can produce and consume ours.
 */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: ManifestOperation[];
}

const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({ id: z.string().min(1), name: z.string(), type: z.enum(['query', 'mutation', 'subscription']), body: z.string().min(1) }),
  ),
});

/** sha256 hex: APQ's hash of a query text, and our manifests' id of a body. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

const isFragment = (definition: DefinitionNode): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION;

/** The fragments `root` spreads, directly or through other fragments, sorted by name. */
function fragmentsUsedBy(root: DefinitionNode, document: DocumentNode): FragmentDefinitionNode[] {
  const byName = new Map(document.definitions.filter(isFragment).map((fragment) => [fragment.name.value, fragment]));
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = byName.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          collect(fragment);
        }
      },
    });
  collect(root);
  return [...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value));
}

/**
 * The manifest entry of the operation that `operationName` selects (graphql-js
 * rules: the only one when no name is given). The body is printed, so
 * comments, commas and spacing never change an operation's id. With `alone`,
 * a document holding anything more (another operation, an unused fragment)
 * has no entry: a trusted request carries its registered operation and nothing else.
 */
export function operationEntry(document: DocumentNode, operationName?: string | null, options: { alone?: boolean } = {}): ManifestOperation | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const fragments = fragmentsUsedBy(operation, document);
  if (options.alone && document.definitions.length !== 1 + fragments.length) return undefined;
  const body = print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] });
  return { id: sha256Hex(body), name: operation.name?.value ?? '', type: `${operation.operation}`, body };
}

/** A manifest of every operation in a GraphQL file (each with the fragments it uses). */
export function manifestOf(source: string): PersistedQueryManifest {
  const document = parse(source);
  const operations = document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION && definition.name
      ? [operationEntry(document, definition.name.value)!]
      : [],
  );
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

/** A manifest as committed: two-space JSON with a final newline, so regenerating it changes nothing. */
export const manifestText = (manifest: PersistedQueryManifest): string => `${JSON.stringify(manifest, null, 2)}\n`;

/** Reads and checks one manifest file; a malformed one throws an error naming the file. */
export function readManifest(file: string): PersistedQueryManifest {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Trusted documents manifest ${file} cannot be read: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new Error(`Trusted documents manifest ${file} is not an Apollo persisted query manifest: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
