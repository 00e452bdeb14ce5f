import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MigrationError } from '../errors';
import { checksumMatches, hasStatements, readMigrationFolders } from '../folders';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hb-folders-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function addMigration(name: string, sql: string) {
  mkdirSync(path.join(dir, name));
  writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('readMigrationFolders', () => {
  it('reads migrations oldest first with the SHA-256 of each file, ignoring files and hidden folders', () => {
    addMigration('20261123000000_second', 'SELECT 2;\n');
    addMigration('20261122000000_first', 'SELECT 1;\n');
    mkdirSync(path.join(dir, '.cache'));
    writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "mysql"\n');
    writeFileSync(path.join(dir, 'README.md'), 'notes');

    expect(readMigrationFolders(dir)).toEqual([
      { name: '20261122000000_first', script: 'SELECT 1;\n', checksum: sha256('SELECT 1;\n') },
      { name: '20261123000000_second', script: 'SELECT 2;\n', checksum: sha256('SELECT 2;\n') },
    ]);
  });

  it('refuses a folder that is not named like a migration rather than skipping it', () => {
    addMigration('add_index', 'SELECT 1;');
    expect(() => readMigrationFolders(dir)).toThrow(/add_index is not a migration folder/);
  });

  it('refuses a migration folder without migration.sql', () => {
    mkdirSync(path.join(dir, '20261122000000_empty'));
    expect(() => readMigrationFolders(dir)).toThrow(/20261122000000_empty\/migration\.sql is missing/);
  });

  it('refuses migrations written for another provider', () => {
    writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    expect(() => readMigrationFolders(dir)).toThrow(MigrationError);
  });

  it('refuses a folder that does not exist', () => {
    expect(() => readMigrationFolders(path.join(dir, 'nope'))).toThrow(/does not exist/);
  });
});

describe('checksumMatches', () => {
  const migration = (script: string) => ({ name: 'm', script, checksum: sha256(script) });

  it('renders checksums as Prisma does (zero-padded lower-case hex)', () => {
    expect(migration('hello').checksum).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });

  it('matches the same script whatever its line endings, as Prisma does', () => {
    expect(checksumMatches(migration('a;\r\nb;\r\n'), sha256('a;\nb;\n'))).toBe(true);
    expect(checksumMatches(migration('a;\nb;\n'), sha256('a;\r\nb;\r\n'))).toBe(true);
  });

  it('matches the unpadded checksums an old Prisma wrote', () => {
    const digest = createHash('sha256').update('abcd').digest();
    const unpadded = [...digest].map((byte) => byte.toString(16)).join('');
    expect(unpadded.length).toBeLessThan(64);
    expect(checksumMatches(migration('abcd'), unpadded)).toBe(true);
  });

  it('does not match a changed script', () => {
    expect(checksumMatches(migration('abc\n'), sha256('abc'))).toBe(false);
  });
});

describe('hasStatements', () => {
  it('sees statements, and nothing in comments', () => {
    expect(hasStatements('-- CreateTable\nCREATE TABLE a (id INT);\n')).toBe(true);
    expect(hasStatements('-- only a note\n/* and a block\n comment */\n# hash comment\n;\n')).toBe(false);
    expect(hasStatements('/*!40101 SET NAMES utf8mb4 */;')).toBe(true);
  });
});
