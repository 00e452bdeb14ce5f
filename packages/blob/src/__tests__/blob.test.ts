/**
 * BlobStore against a real Azurite (startAzurite: its own process, port and
 * folder), the SAS URLs exercised with plain fetch as a client would.
 */
import { createHash } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { ConfigError } from '@harbour/config';
import { startAzurite, waitUntil, type TestAzurite } from '@harbour/testing';
import { AZURITE_CONNECTION_STRING, BlobNotFoundError, BlobStore, blobStoreFromEnv } from '..';

const CONTAINER = 'receipts';
let azurite: TestAzurite;
let store: BlobStore;

beforeAll(async () => {
  azurite = await startAzurite();
  store = new BlobStore(azurite.connectionString, CONTAINER);
  await store.ensureContainer();
});

afterAll(async () => {
  await azurite?.stop();
});

async function collect(names: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const name of names) all.push(name);
  return all;
}

/** Blocks the service has staged for `name` but not yet committed: an upload under way. */
async function stagedBlocks(name: string): Promise<number> {
  const blob = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(CONTAINER).getBlockBlobClient(name);
  const list = await blob.getBlockList('uncommitted').catch(() => ({ uncommittedBlocks: [] }));
  return list.uncommittedBlocks?.length ?? 0;
}

test('ensureContainer can be called again', async () => {
  await expect(store.ensureContainer()).resolves.toBeUndefined();
});

test('streams a 20 MB upload block by block and stores every byte', async () => {
  const total = 20 * 1024 * 1024;
  const chunk = 64 * 1024;
  const sent = createHash('sha256');
  let stagedBeforeTheEnd = 0;
  async function* generated() {
    for (let offset = 0; offset < total; offset += chunk) {
      // Halfway, the source waits until the service has blocks: the upload must be sending before it has read it all.
      if (offset === total / 2) {
        await waitUntil(async () => (stagedBeforeTheEnd = await stagedBlocks('exports/big.bin')) > 0, 'a block of the upload is staged');
      }
      const bytes = Buffer.alloc(chunk, offset / chunk);
      sent.update(bytes);
      yield bytes;
    }
  }

  await expect(store.upload('exports/big.bin', generated(), { contentType: 'application/octet-stream' })).resolves.toBe(total);
  expect(stagedBeforeTheEnd).toBeGreaterThan(0);
  const stored = await store.download('exports/big.bin');
  expect(stored.length).toBe(total);
  expect(createHash('sha256').update(stored).digest('hex')).toBe(sent.digest('hex'));
}, 60_000);

test('uploads from a Readable and from strings', async () => {
  const { Readable } = await import('node:stream');
  await expect(store.upload('streams/readable.txt', Readable.from([Buffer.from('abc'), Buffer.from('def')]), { contentType: 'text/plain' })).resolves.toBe(6);
  await expect(store.upload('streams/strings.txt', Readable.from(['grüße ', 'ok']), { contentType: 'text/plain' })).resolves.toBe(Buffer.byteLength('grüße ok'));
  expect(await store.downloadText('streams/readable.txt')).toBe('abcdef');
  expect(await store.downloadText('streams/strings.txt')).toBe('grüße ok');
  await expect(store.upload('streams/empty.bin', (async function* () {})(), { contentType: 'application/octet-stream' })).resolves.toBe(0);
  expect((await store.download('streams/empty.bin')).length).toBe(0);
});

test('round-trips text with its content type', async () => {
  const text = 'Receipt №42 — 1 500,00 ₸ ✓\n';
  await store.uploadText('texts/receipt.txt', text, 'text/plain; charset=utf-8');
  expect(await store.downloadText('texts/receipt.txt')).toBe(text);
  const response = await fetch(store.readUrl('texts/receipt.txt', 60).url);
  expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  await store.uploadText('texts/receipt.txt', 'replaced');
  expect(await store.downloadText('texts/receipt.txt')).toBe('replaced');
});

test('lists the names under a prefix, and only those', async () => {
  await Promise.all(['list/a/1.json', 'list/a/2.json', 'list/a/sub/3.json', 'list/b/1.json', 'list/ab.json'].map((name) => store.uploadText(name, '{}', 'application/json')));
  expect(await collect(store.list('list/a/'))).toEqual(['list/a/1.json', 'list/a/2.json', 'list/a/sub/3.json']);
  expect(await collect(store.list('list/a'))).toEqual(['list/a/1.json', 'list/a/2.json', 'list/a/sub/3.json', 'list/ab.json']);
  expect(await collect(store.list('list/none/'))).toEqual([]);
  expect(await collect(store.list())).toEqual(expect.arrayContaining(['list/b/1.json', 'texts/receipt.txt']));
});

test('exists and delete', async () => {
  await store.uploadText('gone/soon.txt', 'bye');
  expect(await store.exists('gone/soon.txt')).toBe(true);
  await expect(store.delete('gone/soon.txt')).resolves.toBe(true);
  expect(await store.exists('gone/soon.txt')).toBe(false);
  await expect(store.delete('gone/soon.txt')).resolves.toBe(false);
  await expect(store.download('gone/soon.txt')).rejects.toThrow(BlobNotFoundError);
  await expect(store.downloadText('never/was.txt')).rejects.toMatchObject({ name: 'BlobNotFoundError', container: CONTAINER, blob: 'never/was.txt' });
});

describe('read URL', () => {
  beforeAll(() => store.uploadText('shared/statement.csv', 'date,amount\n2026-12-01,10.00\n', 'text/csv'));

  test('downloads the blob with a plain fetch, read permission only, until expiresAt', async () => {
    const before = Date.now();
    const { url, expiresAt } = store.readUrl('shared/statement.csv', 300);
    expect(new URL(url).searchParams.get('sp')).toBe('r');
    expect(new URL(url).searchParams.get('sr')).toBe('b');
    expect(new Date(new URL(url).searchParams.get('se')!).getTime()).toBe(expiresAt.getTime());
    expect(expiresAt.getTime()).toBeGreaterThan(before + 299_000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(before + 300_000);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('date,amount\n2026-12-01,10.00\n');
  });

  test('cannot write, delete, or read another blob', async () => {
    const { url } = store.readUrl('shared/statement.csv', 300);
    const write = await fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'forged' });
    expect(write.status).toBe(403);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(403);
    const other = new URL(url);
    other.pathname = other.pathname.replace('statement.csv', 'receipt.txt');
    expect((await fetch(other)).status).toBe(403);
    expect(await store.downloadText('shared/statement.csv')).toBe('date,amount\n2026-12-01,10.00\n');
  });

  test('is refused once expired', async () => {
    const { url, expiresAt } = store.readUrl('shared/statement.csv', 1);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now()) + 1_500));
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-ms-error-code')).toMatch(/^Authentication|^Authorization/);
  }, 10_000);

  test('refuses a TTL that is not a positive whole number of seconds', () => {
    for (const ttl of [0, -5, 1.5, Number.NaN]) expect(() => store.readUrl('shared/statement.csv', ttl)).toThrow(RangeError);
  });
});

describe('write URL', () => {
  test('PUTs one block blob with its content type, and cannot read it back', async () => {
    const { url, expiresAt, headers } = store.writeUrl('uploads/kyc.pdf', 300, { contentType: 'application/pdf' });
    expect(new URL(url).searchParams.get('sp')).toBe('cw');
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(headers).toEqual({ 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/pdf' });

    const put = await fetch(url, { method: 'PUT', headers, body: '%PDF-1.7 fake' });
    expect(put.status).toBe(201);
    expect(await store.downloadText('uploads/kyc.pdf')).toBe('%PDF-1.7 fake');
    expect((await fetch(store.readUrl('uploads/kyc.pdf', 60).url)).headers.get('content-type')).toBe('application/pdf');

    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(403);
  });

  test('is for that one blob only', async () => {
    const { url, headers } = store.writeUrl('uploads/one.txt', 300);
    expect(headers).toEqual({ 'x-ms-blob-type': 'BlockBlob' });
    const other = new URL(url);
    other.pathname = other.pathname.replace('one.txt', 'two.txt');
    expect((await fetch(other, { method: 'PUT', headers, body: 'x' })).status).toBe(403);
    expect(await store.exists('uploads/two.txt')).toBe(false);
    expect((await fetch(url, { method: 'PUT', headers, body: 'one' })).status).toBe(201);
    expect(await store.downloadText('uploads/one.txt')).toBe('one');
  });
});

describe('blobStoreFromEnv', () => {
  test('uses AZURE_STORAGE_CONNECTION_STRING', async () => {
    const fromEnv = blobStoreFromEnv({ AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString }, CONTAINER);
    expect(await fromEnv.downloadText('shared/statement.csv')).toContain('2026-12-01');
    expect(fromEnv.readUrl('x', 60).url.startsWith(`http://127.0.0.1:${azurite.port}/devstoreaccount1/${CONTAINER}/x?`)).toBe(true);
  });

  test('without it, Azurite’s development account on 127.0.0.1:10000', () => {
    for (const env of [{}, { AZURE_STORAGE_CONNECTION_STRING: ' ' }]) {
      expect(blobStoreFromEnv(env, 'media').readUrl('a.png', 60).url.startsWith('http://127.0.0.1:10000/devstoreaccount1/media/a.png?')).toBe(true);
    }
    expect(AZURITE_CONNECTION_STRING).toContain('AccountName=devstoreaccount1;');
  });

  test('a string without an account key stops with one line naming the variable, not quoting the string', () => {
    const sasOnly = 'BlobEndpoint=https://acct.blob.core.windows.net;SharedAccessSignature=sv=2024-01-01&sig=secret';
    expect(() => blobStoreFromEnv({ AZURE_STORAGE_CONNECTION_STRING: sasOnly }, 'media')).toThrow(ConfigError);
    expect(() => blobStoreFromEnv({ AZURE_STORAGE_CONNECTION_STRING: sasOnly }, 'media')).toThrow(
      'AZURE_STORAGE_CONNECTION_STRING is malformed: it needs an AccountKey to sign blob URLs.',
    );
    expect(() => blobStoreFromEnv({ AZURE_STORAGE_CONNECTION_STRING: 'AccountKey=secret;nonsense' }, 'media')).toThrow(/^AZURE_STORAGE_CONNECTION_STRING is malformed\.$/);
  });
});
