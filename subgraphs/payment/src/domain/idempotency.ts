import { createHash } from 'node:crypto';
import { harbourError, ErrorCode } from '@harbour/errors';
import type { Prisma } from '@harbour/prisma/payment';
import { isLockTimeout } from './ledger/transaction';

/** Keys are kept 30 days (the contract). */
export const IDEMPOTENCY_RETENTION_MS = 30 * 24 * 3600 * 1000;

export interface IdempotencyScope {
  callerId: string;
  /** The GraphQL operation, e.g. payPaymentRequest: the same key may be used once per operation. */
  operation: string;
  key: string;
}

/** SHA-256 over the request's input in a canonical form (sorted keys, bigint as text). */
export function requestHash(input: Record<string, unknown>): string {
  const canonical = (value: unknown): unknown => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]));
    }
    return value ?? null;
  };
  return createHash('sha256').update(JSON.stringify(canonical(input))).digest('hex');
}

export const keyReused = () =>
  harbourError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was already used with a different input.');
export const keyInUse = () =>
  harbourError(ErrorCode.IDEMPOTENCY_KEY_IN_USE, 'A request with this idempotency key is still being processed; retry shortly.');

/**
 * Claims the key inside the money transaction, before anything is locked.
 * The row's insert is what serialises duplicates: a second request with the
 * same key waits on it until the first commits (then replays its answer) or
 * rolls back (then proceeds as the first: a failure that moved no money does
 * not consume the key). Returns the stored answer to replay, or null to go on.
 */
export async function claimIdempotencyKey<TResponse extends object>(
  tx: Prisma.TransactionClient,
  scope: IdempotencyScope,
  hash: string,
  now: Date,
  /** The answer, when it is known before the work (ids made up front): saves a write. */
  response?: TResponse,
): Promise<TResponse | null> {
  const stored = JSON.stringify(response ?? {});
  let inserted: number;
  try {
    inserted = await tx.$executeRaw`
      INSERT IGNORE INTO idempotency_keys (caller_id, operation, idempotency_key, request_hash, response, created_at, expires_at)
      VALUES (${scope.callerId}, ${scope.operation}, ${scope.key}, ${hash}, ${stored}, ${now}, ${new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS)})`;
  } catch (error) {
    // The first request with this key held it longer than the store's lock wait: still in flight.
    if (isLockTimeout(error)) throw keyInUse();
    throw error;
  }
  if (inserted === 1) return null;
  // A locking read sees the latest committed row, not this transaction's snapshot.
  const [existing] = await tx.$queryRaw<Array<{ request_hash: string; response: unknown; expires_at: Date }>>`
    SELECT request_hash, response, expires_at FROM idempotency_keys
    WHERE caller_id = ${scope.callerId} AND operation = ${scope.operation} AND idempotency_key = ${scope.key}
    LOCK IN SHARE MODE`;
  if (!existing) throw keyInUse();
  if (existing.expires_at <= now) {
    // Past its 30 days: the key is free again.
    await tx.$executeRaw`
      UPDATE idempotency_keys SET request_hash = ${hash}, response = ${stored}, created_at = ${now}, expires_at = ${new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS)}
      WHERE caller_id = ${scope.callerId} AND operation = ${scope.operation} AND idempotency_key = ${scope.key}`;
    return null;
  }
  if (existing.request_hash !== hash) throw keyReused();
  return (typeof existing.response === 'string' ? JSON.parse(existing.response) : existing.response) as TResponse;
}

/** Records the answer, when only the work could tell it, in the same transaction as the money movement. */
export async function recordIdempotentResponse(tx: Prisma.TransactionClient, scope: IdempotencyScope, response: object): Promise<void> {
  await tx.$executeRaw`
    UPDATE idempotency_keys SET response = ${JSON.stringify(response)}
    WHERE caller_id = ${scope.callerId} AND operation = ${scope.operation} AND idempotency_key = ${scope.key}`;
}

/**
 * Removes every key past its retention; run periodically. Deletes in batches
 * of `batchSize` (each its own short statement, so no long lock on the
 * table) until a batch comes back short: a busy day's keys are all gone by
 * the next run, not 1,000 of them. Returns how many were deleted.
 */
export async function deleteExpiredIdempotencyKeys(tx: Pick<Prisma.TransactionClient, "$executeRaw">, now: Date, batchSize = 1_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await tx.$executeRaw`DELETE FROM idempotency_keys WHERE expires_at < ${now} LIMIT ${batchSize}`;
    deleted += batch;
    if (batch < batchSize) return deleted;
  }
}
