import fs from 'node:fs';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { contractOperation, contractOperationNames } from '@harbour/tests/support/contract';
import { CONTRACT_MANIFEST_PATH, CONTRACT_OPERATIONS_PATH, operationEntry, readManifest, sha256Hex, type PersistedQueryManifest } from '../manifest';
import { OperationDocuments } from '../operation-documents';
import { TrustedDocuments } from '../trusted-documents';
import { parse } from 'graphql';

const trusted = TrustedDocuments.fromFiles([CONTRACT_MANIFEST_PATH]);
const manifest = readManifest(CONTRACT_MANIFEST_PATH);
const idOf = (name: string) => manifest.operations.find((operation) => operation.name === name)!.id;
const enforce = new OperationDocuments({ mode: 'enforce', trusted });
const untrusted = '{ me { id phone wallet { balance { amount } } } }';

/** What a refusal carries, or undefined when there is none. */
function refusal(run: () => unknown): Record<string, unknown> | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions;
  }
}
const NOT_TRUSTED = { code: 'OPERATION_NOT_TRUSTED', http: { status: 400 } };
const post = (body: unknown) => ({ body, search: '' });
const get = (params: Record<string, string>) => ({ body: '', search: `?${new URLSearchParams(params)}` });

describe('trusted documents', () => {
  it('every contract operation is trusted as the apps send it (verbatim, comments and all), printed, and by id', () => {
    expect(contractOperationNames).toHaveLength(23);
    for (const name of contractOperationNames) {
      const verbatim = contractOperation(name);
      expect(verbatim).toContain(name);
      expect(trusted.isTrusted(verbatim)).toBe(true);
      expect(trusted.isTrusted(verbatim, name)).toBe(true);
      expect(trusted.isTrusted(operationEntry(parse(verbatim))!.body)).toBe(true);
      expect(trusted.bodyOf(idOf(name))).toBe(operationEntry(parse(verbatim))!.body);
    }
  });

  it('anything else is not: another selection, an extra field, more in the document, a text that does not parse', () => {
    expect(trusted.isTrusted(untrusted)).toBe(false);
    expect(trusted.isTrusted(contractOperation('Me').replace('phone', 'phone\n    __typename'))).toBe(false);
    expect(trusted.isTrusted(`${contractOperation('Me')}\nquery Other { me { phone } }`, 'Me')).toBe(false);
    expect(trusted.isTrusted(`${contractOperation('Me')}\nfragment F on User { phone }`)).toBe(false);
    // The whole contract file selects a registered operation but carries all the others with it.
    expect(trusted.isTrusted(fs.readFileSync(CONTRACT_OPERATIONS_PATH, 'utf8'), 'Me')).toBe(false);
    expect(trusted.isTrusted('query Me { me { id ')).toBe(false);
    expect(trusted.bodyOf(sha256Hex(untrusted))).toBeUndefined();
  });

  it('a manifest whose id is reused for another body, or whose body is not one operation, stops the start', () => {
    const one = (operations: PersistedQueryManifest['operations']): PersistedQueryManifest => ({ format: 'apollo-persisted-query-manifest', version: 1, operations });
    const me = { id: 'x1', name: 'Me', type: 'query' as const, body: 'query Me { me { id } }' };
    expect(() => new TrustedDocuments([{ file: 'a.json', manifest: one([me]) }, { file: 'b.json', manifest: one([{ ...me, body: 'query Me { me { phone } }' }]) }])).toThrow(
      'b.json: id x1 is registered with two different bodies.',
    );
    expect(() => new TrustedDocuments([{ file: 'a.json', manifest: one([{ ...me, body: 'query Me { me { id } } query B { me { id } }' }]) }])).toThrow(/a\.json: operation Me is not one/);
    // Ids are the manifest's own; texts are still matched by their printed form.
    const custom = new TrustedDocuments([{ file: 'a.json', manifest: one([me]) }]);
    expect(custom.bodyOf('x1')).toBe(me.body);
    expect(custom.isTrusted('query Me {\n  me {\n    id\n  }\n}')).toBe(true);
  });
});

describe('enforce mode', () => {
  it('lets through a registered text or id, over POST, GET and batches', () => {
    expect(refusal(() => enforce.precheck(post({ query: contractOperation('Me') })))).toBeUndefined();
    expect(refusal(() => enforce.precheck(post({ extensions: { persistedQuery: { version: 1, sha256Hash: idOf('Me') } } })))).toBeUndefined();
    // APQ from a client that hashes its own text: the text decides.
    const verbatim = contractOperation('MyFriends');
    expect(refusal(() => enforce.precheck(post({ query: verbatim, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(verbatim) } } })))).toBeUndefined();
    expect(refusal(() => enforce.precheck(get({ query: contractOperation('Me'), operationName: 'Me' })))).toBeUndefined();
    expect(refusal(() => enforce.precheck(get({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: idOf('MyFriends') } }) })))).toBeUndefined();
    expect(refusal(() => enforce.precheck(post([{ query: contractOperation('Me') }, { extensions: { persistedQuery: { sha256Hash: idOf('LogOut') } } }])))).toBeUndefined();
  });

  it('refuses everything else with OPERATION_NOT_TRUSTED (HTTP 400), whatever its shape', () => {
    const refused = [
      post({ query: untrusted }),
      post({ query: untrusted, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(untrusted) } } }),
      // A registered hash does not vouch for another text sent with it.
      post({ query: untrusted, extensions: { persistedQuery: { version: 1, sha256Hash: idOf('Me') } } }),
      post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(untrusted) } } }),
      post({ extensions: { persistedQuery: { version: 1, sha256Hash: 42 } } }),
      post({}),
      post([{ query: contractOperation('Me') }, { query: untrusted }]),
      post([null]),
      get({ query: untrusted }),
      get({ extensions: '{not json' }),
      get({}),
    ];
    for (const request of refused) expect(refusal(() => enforce.precheck(request))).toEqual(NOT_TRUSTED);
  });

  it('serves manifest bodies to Apollo by id and registers nothing', async () => {
    await enforce.persistedQueryCache.set(`apq:${sha256Hex(untrusted)}`, untrusted);
    expect(await enforce.persistedQueryCache.get(`apq:${sha256Hex(untrusted)}`)).toBeUndefined();
    expect(await enforce.persistedQueryCache.get(`apq:${idOf('Me')}`)).toBe(trusted.bodyOf(idOf('Me')));
  });

  it('subscriptions: a registered text or hash runs, anything else is refused', async () => {
    const verbatim = contractOperation('NotificationAdded');
    await expect(enforce.subscriptionQuery({ query: verbatim })).resolves.toBe(verbatim);
    await expect(enforce.subscriptionQuery({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: idOf('NotificationAdded') } } })).resolves.toBe(
      trusted.bodyOf(idOf('NotificationAdded')),
    );
    await expect(enforce.subscriptionQuery({ query: 'subscription { notificationAdded { id body } }' })).rejects.toMatchObject({ extensions: NOT_TRUSTED });
    await expect(enforce.subscriptionQuery({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } })).rejects.toMatchObject({ extensions: NOT_TRUSTED });
  });
});

describe('off mode', () => {
  const off = () => new OperationDocuments({ mode: 'off', trusted, apq: new InMemoryLRUCache<string>() });

  it('checks nothing before Apollo, and APQ registers new operations beside the manifests', async () => {
    const documents = off();
    expect(refusal(() => documents.precheck(post({ query: untrusted })))).toBeUndefined();
    expect(await documents.persistedQueryCache.get(`apq:${sha256Hex(untrusted)}`)).toBeUndefined();
    await documents.persistedQueryCache.set(`apq:${sha256Hex(untrusted)}`, untrusted);
    expect(await documents.persistedQueryCache.get(`apq:${sha256Hex(untrusted)}`)).toBe(untrusted);
    expect(await documents.persistedQueryCache.get(`apq:${idOf('Me')}`)).toBe(trusted.bodyOf(idOf('Me')));
  });

  it('subscriptions: any text; a hash only once registered (PERSISTED_QUERY_NOT_FOUND before)', async () => {
    const documents = off();
    const text = 'subscription { notificationAdded { id } }';
    const byHash = { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(text) } } };
    await expect(documents.subscriptionQuery({ query: text })).resolves.toBe(text);
    await expect(documents.subscriptionQuery(byHash)).rejects.toMatchObject({ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    await documents.persistedQueryCache.set(`apq:${sha256Hex(text)}`, text);
    await expect(documents.subscriptionQuery(byHash)).resolves.toBe(text);
    // Nothing to look up: graphql-ws answers the empty text with its own error.
    await expect(documents.subscriptionQuery({ query: '' })).resolves.toBe('');
  });
});
