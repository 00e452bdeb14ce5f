import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import {
  CONTRACT_MANIFEST_PATH,
  CONTRACT_OPERATIONS_PATH,
  MERCHANT_MANIFEST_PATH,
  MERCHANT_OPERATIONS_PATH,
  manifestOf,
  manifestText,
  operationEntry,
  readManifest,
  sha256Hex,
} from '../manifest';
import { TrustedDocuments } from '../trusted-documents';

const contract = fs.readFileSync(CONTRACT_OPERATIONS_PATH, 'utf8');

describe('manifests', () => {
  it('the committed contract manifest is the one the contract generates: 23 operations, each id the sha256 of its printed body', () => {
    const manifest = readManifest(CONTRACT_MANIFEST_PATH);
    expect(fs.readFileSync(CONTRACT_MANIFEST_PATH, 'utf8')).toBe(manifestText(manifestOf(contract)));
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(manifest.version).toBe(1);
    expect(manifest.operations).toHaveLength(23);
    expect(manifest.operations.map((operation) => operation.name)).toContain('PaymentRequestUpdated');
    for (const operation of manifest.operations) {
      expect(operation.id).toBe(sha256Hex(operation.body));
      expect(operation.body).not.toContain('#');
    }
    expect(manifest.operations.find((operation) => operation.name === 'LogOut')).toEqual({
      id: sha256Hex('mutation LogOut {\n  logOut\n}'),
      name: 'LogOut',
      type: 'mutation',
      body: 'mutation LogOut {\n  logOut\n}',
    });
  });

  it('the committed part-2 manifest holds every merchant operation, each trusted verbatim', () => {
    const merchant = fs.readFileSync(MERCHANT_OPERATIONS_PATH, 'utf8');
    expect(fs.readFileSync(MERCHANT_MANIFEST_PATH, 'utf8')).toBe(manifestText(manifestOf(merchant)));
    const names = readManifest(MERCHANT_MANIFEST_PATH).operations.map((operation) => operation.name);
    expect(names).toHaveLength(16);
    expect(names.slice(0, 5)).toEqual(['UpdateBusiness', 'BusinessMembers', 'AddBusinessMember', 'ChangeBusinessMemberRole', 'RemoveBusinessMember']);
    const trusted = TrustedDocuments.fromFiles([CONTRACT_MANIFEST_PATH, MERCHANT_MANIFEST_PATH]);
    const document = parse(merchant);
    for (const definition of document.definitions) {
      if (definition.kind !== 'OperationDefinition' || !definition.loc) continue;
      const verbatim = merchant.slice(definition.loc.start, definition.loc.end);
      expect([definition.name!.value, trusted.isTrusted(verbatim)]).toEqual([definition.name!.value, true]);
    }
  });

  it('comments, commas and spacing do not change an operation’s id; a different selection does', () => {
    const plain = operationEntry(parse('query Me { me { id displayName } }'))!;
    const noisy = operationEntry(parse('# the caller\nquery   Me {\n  me { id, # theirs\n displayName } }\n'))!;
    expect(noisy).toEqual(plain);
    expect(operationEntry(parse('query Me { me { id } }'))!.id).not.toBe(plain.id);
  });

  it('an operation’s body carries the fragments it uses (through other fragments too), sorted, and none it does not', () => {
    const document = parse(`
      query Me { me { ...B } }
      fragment Unused on User { id }
      fragment B on User { ...A displayName }
      fragment A on User { id }
    `);
    const entry = operationEntry(document, 'Me')!;
    expect(entry.body).toBe(['query Me {\n  me {\n    ...B\n  }\n}', 'fragment A on User {\n  id\n}', 'fragment B on User {\n  ...A\n  displayName\n}'].join('\n\n'));
    // Alone, the document holds more than the operation: it has no entry.
    expect(operationEntry(document, 'Me', { alone: true })).toBeUndefined();
    expect(operationEntry(parse(entry.body), 'Me', { alone: true })).toEqual(entry);
  });

  it('a file that is not an Apollo manifest is refused, naming the file', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-manifest-'));
    const file = path.join(folder, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ format: 'something-else', version: 1, operations: [] }));
    expect(() => readManifest(file)).toThrow(new RegExp(`${file} is not an Apollo persisted query manifest`));
    fs.writeFileSync(file, '{ not json');
    expect(() => readManifest(file)).toThrow(new RegExp(`${file} cannot be read`));
    fs.rmSync(folder, { recursive: true });
  });
});
