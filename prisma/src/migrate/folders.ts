import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MigrationError } from './errors';

/** One migration on disk, in Prisma's layout: `<yyyyMMddHHmmss>_<name>/migration.sql`. */
export interface MigrationFolder {
  /** The folder's name, which is what `_prisma_migrations.migration_name` records. */
  name: string;
  /** The script, decoded as UTF-8 (as Prisma reads it). */
  script: string;
  /** SHA-256 of the file's bytes, lower-case hex: what Prisma stores in `checksum`. */
  checksum: string;
}

const FOLDER_NAME = /^\d{14}_.+$/;
/** `_prisma_migrations.migration_name` is VARCHAR(255). */
const MAX_NAME_LENGTH = 255;

/**
 * The migrations in `dir`, oldest first (Prisma orders them by folder name).
 * Anything unexpected is an error rather than skipped: a misnamed folder that
 * is silently ignored is a migration that never runs in production.
 */
export function readMigrationFolders(dir: string): MigrationFolder[] {
  if (!existsSync(dir)) throw new MigrationError(`The migrations folder ${dir} does not exist.`, 'INVALID_MIGRATIONS');
  checkLockFile(dir);
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  return folders.map((name) => {
    if (!FOLDER_NAME.test(name) || name.length > MAX_NAME_LENGTH) {
      throw new MigrationError(
        `${path.join(dir, name)} is not a migration folder: name it <yyyyMMddHHmmss>_<name> (at most ${MAX_NAME_LENGTH} characters) or move it out of ${dir}.`,
        'INVALID_MIGRATIONS',
      );
    }
    const file = path.join(dir, name, 'migration.sql');
    if (!existsSync(file)) throw new MigrationError(`${file} is missing.`, 'INVALID_MIGRATIONS');
    const bytes = readFileSync(file);
    return { name, script: bytes.toString('utf8'), checksum: sha256Hex(bytes) };
  });
}

/** Prisma refuses to apply migrations written for another provider; so do we. */
function checkLockFile(dir: string): void {
  const lockFile = path.join(dir, 'migration_lock.toml');
  if (!existsSync(lockFile)) return;
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockFile, 'utf8'))?.[1];
  if (provider !== undefined && provider !== 'mysql') {
    throw new MigrationError(
      `${lockFile} says the migrations were written for ${provider}, not mysql.`,
      'INVALID_MIGRATIONS',
    );
  }
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const sha256Hex = (data: Buffer | string) => sha256(data).toString('hex');

/**
 * Whether the migration's script is the one recorded with `checksum`, the way Prisma decides
 * it: the same text with Windows or Unix line endings matches (git may have
 * converted them on checkout), and so do the unpadded hex checksums an old
 * Prisma version wrote (prisma-engines#1887).
 */
export function checksumMatches(migration: MigrationFolder, checksum: string): boolean {
  if (checksum === migration.checksum) return true;
  const { script } = migration;
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')];
  return variants.some((variant) => {
    const digest = sha256(Buffer.from(variant, 'utf8'));
    const rendered = checksum.length === 64 ? digest.toString('hex') : [...digest].map((byte) => byte.toString(16)).join('');
    return rendered === checksum;
  });
}

/**
 * Whether the script has anything for the server to run. MySQL answers a
 * script of comments only with "Query was empty"; Prisma's own migrations
 * can be like that (a migration kept only for its history). Conservative: it
 * only strips what is surely a comment, and `/*! ... *\/` is code to MySQL.
 */
export function hasStatements(script: string): boolean {
  const stripped = script
    .replace(/\/\*(?!!)[\s\S]*?\*\//g, '')
    .replace(/(^|\s)--(\s[^\n]*)?$/gm, '$1')
    .replace(/^\s*#[^\n]*$/gm, '');
  return /[^\s;]/.test(stripped);
}
