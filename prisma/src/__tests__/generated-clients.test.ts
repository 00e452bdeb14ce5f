import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { staleClients, stampClient } from '../generated-clients';
import { STORE_ROOT } from '../paths';

describe('staleClients', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-clients-'));
    for (const store of ['user', 'payment'] as const) {
      fs.mkdirSync(path.join(root, store));
      fs.copyFileSync(path.join(STORE_ROOT, store, 'schema.prisma'), path.join(root, store, 'schema.prisma'));
    }
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const generate = (store: 'user' | 'payment') => {
    fs.mkdirSync(path.join(root, store, 'generated'), { recursive: true });
    fs.writeFileSync(path.join(root, store, 'generated', 'client.ts'), '');
    stampClient(store, root);
  };

  it('names every store on a fresh clone (no client made yet)', () => {
    expect(staleClients(['user', 'payment'], root)).toEqual(['user', 'payment']);
  });

  it('names none once each client is made from its schema, so a second start does nothing', () => {
    generate('user');
    generate('payment');
    expect(staleClients(['user', 'payment'], root)).toEqual([]);
  });

  it('names a store whose schema changed since its client was made (a pull), and only that one', () => {
    generate('user');
    generate('payment');
    fs.appendFileSync(path.join(root, 'payment', 'schema.prisma'), '\n// changed\n');
    expect(staleClients(['user', 'payment'], root)).toEqual(['payment']);
  });

  it('names a store whose client was made by a generate that left no stamp (an older checkout)', () => {
    generate('user');
    fs.rmSync(path.join(root, 'user', 'generated', '.schema.sha256'));
    expect(staleClients(['user'], root)).toEqual(['user']);
  });
});
