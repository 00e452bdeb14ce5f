import { scryptHasher } from '../domain/passwords';

describe('password hashing', () => {
  const hasher = scryptHasher(10);

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('correct horse battery');
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(await hasher.verify('correct horse battery', stored)).toBe(true);
    expect(await hasher.verify('correct horse batterY', stored)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'));
  });

  it('reads the cost from the stored hash, so raising the cost keeps old hashes valid', async () => {
    const old = await scryptHasher(9).hash('long enough password');
    expect(await hasher.verify('long enough password', old)).toBe(true);
  });

  it('a malformed stored value never verifies', async () => {
    expect(await hasher.verify('anything at all', 'plain-text')).toBe(false);
  });
});
