import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type CommonConfig } from '@harbour/config';
import type { JWK } from 'jose';

export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/** The user subgraph's key for signing access tokens. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * The access-token keys as the user subgraph holds them: the newest signs,
 * every one still present is published, so tokens signed before a rotation
 * stay valid until they expire.
 */
export interface SigningKeys {
  /** The key new tokens are signed with (the newest). */
  current(): SigningKey;
  /** The JWKS to publish: every key held, newest first, plus `JWT_PREVIOUS_PUBLIC_JWKS`. */
  jwks(): { keys: JWK[] };
}

/** One key file of a keys directory (`<kid>.json`). */
interface StoredKey {
  kid: string;
  /** ISO 8601; the newest key signs. */
  createdAt: string;
  pem: string;
}

type Env = Record<string, string | undefined>;

/** Tokens live 15 minutes; a key superseded longer ago than this (plus skew) verifies nothing any more. */
const RETIRE_AFTER_MS = 16 * 60_000;

/**
 * Where the keys come from: `JWT_PRIVATE_KEY` (a PKCS#8 PEM of a P-256 key)
 * with `JWT_KEY_ID`; else the keys directory `JWT_KEYS_DIR` (several
 * `<kid>.json` files, newest signs, re-read when the directory changes: a
 * rotation needs no restart); in sandbox mode without either,
 * `<dataDir>/jwt-keys`, with a first key generated. Production refuses to
 * start without one of the two.
 */
export function loadSigningKeys(config: CommonConfig, env: Env = process.env): SigningKeys {
  const previous = previousPublicKeys(env);
  const pem = env.JWT_PRIVATE_KEY;
  if (pem) {
    const kid = env.JWT_KEY_ID;
    if (!kid) throw new ConfigError('JWT_KEY_ID is required when JWT_PRIVATE_KEY is set.');
    const key = fromPem(pem.replace(/\\n/g, '\n'), kid, 'JWT_PRIVATE_KEY');
    return { current: () => key, jwks: () => publish([key], previous) };
  }
  if (!env.JWT_KEYS_DIR && config.mode === 'production') throw new ConfigError('JWT_PRIVATE_KEY or JWT_KEYS_DIR is required in production mode.');
  const directory = keysDirectory(config, env);
  if (!env.JWT_KEYS_DIR && readKeyFiles(directory).length === 0) rotateSigningKey(directory);
  return directoryKeys(directory, previous);
}

/** The key new tokens are signed with (see `loadSigningKeys`). */
export function loadSigningKey(config: CommonConfig, env: Env = process.env): SigningKey {
  return loadSigningKeys(config, env).current();
}

/** The keys directory in use: `JWT_KEYS_DIR`, else `<dataDir>/jwt-keys`. */
export function keysDirectory(config: CommonConfig, env: Env = process.env): string {
  return env.JWT_KEYS_DIR ?? path.join(config.dataDir, 'jwt-keys');
}

/**
 * Rotation: writes a new P-256 key into `directory` (it signs from now on;
 * the older ones stay published) and deletes keys superseded long enough
 * ago that no token of theirs is still valid. Returns the new key's id.
 */
export function rotateSigningKey(directory: string, now: Date = new Date()): { kid: string; retired: string[] } {
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `k${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(6).toString('hex')}`;
  const stored: StoredKey = { kid, createdAt: now.toISOString(), pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  // Written aside and renamed into place: a reader never sees half a key.
  const temporary = path.join(directory, `.${kid}.tmp`);
  fs.writeFileSync(temporary, JSON.stringify(stored), { mode: 0o600 });
  fs.renameSync(temporary, path.join(directory, `${kid}.json`));

  const retired: string[] = [];
  const byAge = readKeyFiles(directory).sort(newestFirst);
  byAge.forEach((key, index) => {
    const supersededAt = index === 0 ? undefined : Date.parse(byAge[index - 1]!.createdAt);
    if (supersededAt !== undefined && now.getTime() - supersededAt > RETIRE_AFTER_MS) {
      fs.rmSync(path.join(directory, `${key.kid}.json`), { force: true });
      retired.push(key.kid);
    }
  });
  return { kid, retired };
}

function directoryKeys(directory: string, previous: JWK[]): SigningKeys {
  let seenMtime = -1;
  let keys: SigningKey[] = [];
  const fresh = () => {
    let mtime: number;
    try {
      mtime = fs.statSync(directory).mtimeMs;
    } catch {
      throw new ConfigError(`JWT_KEYS_DIR (${directory}) cannot be read.`);
    }
    if (mtime !== seenMtime) {
      const stored = readKeyFiles(directory).sort(newestFirst);
      if (stored.length === 0) throw new ConfigError(`JWT_KEYS_DIR (${directory}) holds no key: run \`npm run keys:rotate\`.`);
      keys = stored.map((key) => fromPem(key.pem, key.kid, path.join(directory, `${key.kid}.json`)));
      seenMtime = mtime;
    }
    return keys;
  };
  fresh();
  return { current: () => fresh()[0]!, jwks: () => publish(fresh(), previous) };
}

function readKeyFiles(directory: string): StoredKey[] {
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .map((name) => {
      const file = path.join(directory, name);
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<StoredKey>;
      if (typeof parsed.kid !== 'string' || typeof parsed.pem !== 'string' || Number.isNaN(Date.parse(String(parsed.createdAt)))) {
        throw new ConfigError(`${file} is malformed: expected { kid, createdAt, pem }.`);
      }
      return parsed as StoredKey;
    });
}

const newestFirst = (a: StoredKey, b: StoredKey) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.kid.localeCompare(a.kid);

function fromPem(pem: string, kid: string, source: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new ConfigError(`${source} is malformed: expected a PKCS#8 PEM private key.`);
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ConfigError(`${source} is malformed: expected a P-256 (ES256) key.`);
  }
  return { kid, privateKey, publicKey: createPublicKey(privateKey) };
}

/** `JWT_PREVIOUS_PUBLIC_JWKS` (a JWKS JSON) keeps keys retired from the environment verifiable while their tokens live out. */
function previousPublicKeys(env: Env): JWK[] {
  if (!env.JWT_PREVIOUS_PUBLIC_JWKS) return [];
  try {
    const keys = (JSON.parse(env.JWT_PREVIOUS_PUBLIC_JWKS) as { keys?: unknown }).keys;
    if (!Array.isArray(keys)) throw new Error('no keys');
    return keys as JWK[];
  } catch {
    throw new ConfigError('JWT_PREVIOUS_PUBLIC_JWKS is malformed: expected a JWKS JSON ({ "keys": [...] }).');
  }
}

function publish(keys: SigningKey[], previous: JWK[]): { keys: JWK[] } {
  const held = keys.map((key) => ({ ...(key.publicKey.export({ format: 'jwk' }) as JWK), kid: key.kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' }));
  const kids = new Set(keys.map((key) => key.kid));
  return { keys: [...held, ...previous.filter((jwk) => !kids.has(jwk.kid!))] };
}
