/**
 * The statements worker: its own process (worker/main.ts; a Kubernetes
 * Deployment, scaled on its own), never the request path. It takes PENDING
 * statements one at a time, oldest first, once their window has settled:
 *
 * - a claim is a lease (`lease_owner`, `lease_until`), taken with
 *   `FOR UPDATE SKIP LOCKED` so replicas never take the same statement, and
 *   extended while the file is written; a worker that dies leaves a lease
 *   that runs out, and the statement is taken again;
 * - a statement is written at most STATEMENT_MAX_ATTEMPTS times: after that
 *   (or at once when it does not reconcile with the ledger) it is FAILED;
 * - READY and its `statement.ready` event commit together (the outbox), only
 *   while the lease is still this worker's.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlobStore } from '@harbour/blob';
import { statementReady } from '@harbour/events';
import type { Logger } from '@harbour/logger';
import type { PaymentStore, Statement } from '@harbour/prisma/payment';
import { paymentEvent, writeEvents } from '../../domain/events';
import type { AccountDirectory } from '../../domain/ledger/accounts';
import { LedgerMismatch } from '../ledger';
import { SETTLE_MS, StatementFailure } from '../rules';
import { writeStatement } from '../write-statement';

export interface StatementWorkerOptions {
  store: PaymentStore;
  files: BlobStore;
  accounts: AccountDirectory;
  logger: Logger;
  now?: () => Date;
  /** How long to wait when there is nothing to do (ms). */
  pollMs?: number;
  /** How long a claim holds without being extended (ms); extended every third of it. */
  leaseMs?: number;
  /** Claims of one statement before it is FAILED. */
  maxAttempts?: number;
  /** Entries per database page. */
  pageSize?: number;
  /** How long after a window's end before it is read (default SETTLE_MS; rules.ts says why). */
  settleMs?: number;
  /** This worker's name in `lease_owner` (default: host and pid). */
  name?: string;
}

export class StatementWorker {
  private readonly now: () => Date;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly settleMs: number;
  readonly name: string;
  private stopping = false;
  private containerReady = false;
  private wake: AbortController = new AbortController();
  /** When the loop or a lease extension last showed this worker alive (liveness). */
  lastAliveAt = Date.now();

  constructor(private readonly options: StatementWorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.pollMs = options.pollMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.settleMs = options.settleMs ?? SETTLE_MS;
    this.name = (options.name ?? `${hostname()}:${process.pid}`).slice(0, 80);
  }

  /** Runs until stop(): statement after statement, then a poll's wait. */
  async run(): Promise<void> {
    while (!this.stopping) {
      this.lastAliveAt = Date.now();
      let worked = false;
      try {
        worked = await this.runOnce();
      } catch (error) {
        // The store or Blob storage is not there (yet: `npm start` starts Azurite beside this): keep trying.
        this.options.logger.error({ err: error }, 'statements: claiming failed; trying again shortly');
      }
      if (!worked && !this.stopping) await sleep(this.pollMs, undefined, { signal: this.wake.signal }).catch(() => undefined);
    }
  }

  /** Stops after the statement in hand (if any). */
  stop(): void {
    this.stopping = true;
    this.wake.abort();
  }

  /** Takes and writes one statement; false when none was waiting. */
  async runOnce(): Promise<boolean> {
    if (!this.containerReady) {
      await this.options.files.ensureContainer();
      this.containerReady = true;
    }
    const statement = await this.claim();
    if (!statement) return false;
    await this.process(statement);
    return true;
  }

  private async claim(): Promise<Statement | null> {
    const { store } = this.options;
    for (;;) {
      const now = this.now();
      const claimed = await store.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<Array<{ id: string; attempts: number }>>`
          SELECT id, attempts FROM statements
          WHERE status = 'PENDING' AND (lease_until IS NULL OR lease_until < ${now}) AND to_at <= ${new Date(now.getTime() - this.settleMs)}
          ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`;
        if (!row) return null;
        if (Number(row.attempts) >= this.maxAttempts) {
          // Every claim so far died with its worker (a crash, an OOM kill): stop trying.
          await tx.statement.update({ where: { id: row.id }, data: failed(StatementFailure.GENERATION_FAILED, now) });
          return { failedId: row.id };
        }
        return tx.statement.update({
          where: { id: row.id },
          data: { leaseOwner: this.name, leaseUntil: new Date(now.getTime() + this.leaseMs), attempts: { increment: 1 }, updatedAt: now },
        });
      });
      if (claimed && 'failedId' in claimed) {
        this.options.logger.error({ statementId: claimed.failedId }, 'statements: given up after every attempt died');
        continue;
      }
      return claimed;
    }
  }

  private async process(statement: Statement): Promise<void> {
    const { store, logger } = this.options;
    const started = Date.now();
    const heartbeat = setInterval(() => void this.extendLease(statement.id), Math.max(1_000, Math.floor(this.leaseMs / 3)));
    try {
      const account = await this.options.accounts.business(statement.businessId, statement.currency);
      const written = await writeStatement({ store, files: this.options.files, accountId: account.id, now: this.now, pageSize: this.options.pageSize }, statement);
      const now = this.now();
      const ready = await store.$transaction(async (tx) => {
        const moved = await tx.statement.updateMany({
          where: { id: statement.id, status: 'PENDING', leaseOwner: this.name },
          data: {
            status: 'READY',
            rowCount: written.rowCount,
            openingBalance: written.openingBalance,
            closingBalance: written.closingBalance,
            blobName: written.blobName,
            byteCount: BigInt(written.byteCount),
            completedAt: now,
            leaseOwner: null,
            leaseUntil: null,
            updatedAt: now,
          },
        });
        if (moved.count !== 1) return false;
        await writeEvents(tx, [
          paymentEvent(
            statementReady,
            { type: 'statement', id: statement.id },
            {
              statementId: statement.id,
              businessId: statement.businessId,
              businessName: statement.businessName,
              requestedByUserId: statement.requestedByUserId,
              format: statement.format,
              from: statement.from.toISOString(),
              to: statement.to.toISOString(),
              rowCount: written.rowCount,
              readyAt: now.toISOString(),
            },
            now,
          ),
        ]);
        return true;
      });
      if (ready) logger.info({ statementId: statement.id, format: statement.format, rows: written.rowCount, bytes: written.byteCount, ms: Date.now() - started }, 'statement ready');
      // Another worker took it over (this one's lease ran out): its file, written again, is the one published.
      else logger.warn({ statementId: statement.id }, 'statements: the lease was lost before the statement was finished');
    } catch (error) {
      await this.giveBack(statement, error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async extendLease(id: string): Promise<void> {
    try {
      const now = this.now();
      await this.options.store.statement.updateMany({
        where: { id, status: 'PENDING', leaseOwner: this.name },
        data: { leaseUntil: new Date(now.getTime() + this.leaseMs), updatedAt: now },
      });
      this.lastAliveAt = Date.now();
    } catch (error) {
      this.options.logger.warn({ err: error, statementId: id }, 'statements: extending the lease failed');
    }
  }

  /** After a failure: FAILED when the ledger disagreed or no attempt is left; otherwise back to PENDING, after a pause. */
  private async giveBack(statement: Statement, error: unknown): Promise<void> {
    const { logger, store } = this.options;
    const now = this.now();
    const mismatch = error instanceof LedgerMismatch;
    const final = mismatch || statement.attempts >= this.maxAttempts;
    if (mismatch) logger.error({ err: error, statementId: statement.id }, 'statements: the statement does not reconcile with the ledger');
    else logger.warn({ err: error, statementId: statement.id, attempt: statement.attempts }, 'statements: writing failed');
    const data = final
      ? failed(mismatch ? StatementFailure.NOT_RECONCILED : StatementFailure.GENERATION_FAILED, now)
      : // Claimable again once the pause is over: longer after each attempt.
        { leaseOwner: null, leaseUntil: new Date(now.getTime() + 5_000 * 2 ** statement.attempts), updatedAt: now };
    await store.statement.updateMany({ where: { id: statement.id, status: 'PENDING', leaseOwner: this.name }, data }).catch((cause: unknown) => {
      logger.error({ err: cause, statementId: statement.id }, 'statements: recording the failure failed; the lease will run out');
    });
  }
}

const failed = (failureCode: string, now: Date) => ({ status: 'FAILED' as const, failureCode, completedAt: now, leaseOwner: null, leaseUntil: null, updatedAt: now });
