/**
 * The webhook delivery worker: its own process (main.ts; the Kubernetes
 * Deployment `webhooks`), never the consumer's or the request path.
 *
 * - Claims: due deliveries (`next_attempt_at <= now`, no live lease), a small
 *   batch at a time, with `FOR UPDATE SKIP LOCKED` so replicas never take the
 *   same one, each held by a lease (`lease_owner`, `lease_until`) longer than
 *   an attempt can take. A worker killed mid-attempt leaves a lease that runs
 *   out; the delivery is then taken again (at least once, never lost).
 * - Concurrency: at most `endpointConcurrency` attempts in flight per
 *   endpoint across every worker (counted by live leases), and at most
 *   `concurrency` in this process. A receiver that hangs holds its own few
 *   slots until its timeout, never the others': endpoints at their limit are
 *   left out of the claim, so other businesses' deliveries go ahead.
 * - Outcome of an attempt (a row in `webhook_attempts` each): 2xx → SUCCEEDED;
 *   otherwise FAILED with the next attempt after the retry schedule's next
 *   pause (with jitter), or EXHAUSTED when it is used up; 410 disables the
 *   endpoint at once, and so does failing for 5 days since the first failure
 *   after its last success (rules.ts), telling every OWNER.
 * - Deliveries of an endpoint disabled or deleted meanwhile are CANCELLED, not sent.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@harbour/logger';
import { Prisma, type NotificationStore, type WebhookDelivery, type WebhookEndpoint } from '@harbour/prisma/notification';
import type { MadeNotification } from '../../domain/apply-event';
import { disableEndpoint, type DisableCause } from '../disable-endpoint';
import { FAILING_DISABLES_AFTER_MS, RETENTION_MS, isGone, newWebhookId, retryDelay } from '../rules';
import type { WebhookSecretKeyring } from '../secret-crypto';
import { RESPONSE_BODY_LIMIT_BYTES, sendWebhook, webhookHeaders, withJitter, type AddressPolicy, type AttemptResult, type LookupFn } from '../transport';

export interface DeliveryWorkerOptions {
  store: NotificationStore;
  secrets: WebhookSecretKeyring;
  logger: Logger;
  /** 'public' in production mode (no private, loopback or link-local address, checked on the connected one); 'any' in sandbox. */
  policy: AddressPolicy;
  timeoutMs: number;
  /** The pauses between attempts (ms), WEBHOOK_RETRY_SCHEDULE. */
  retrySchedule: readonly number[];
  /** In flight per endpoint, across workers. */
  endpointConcurrency: number;
  /** In flight in this process. */
  concurrency: number;
  /** How long a claim holds; more than timeoutMs. */
  leaseMs: number;
  /** How long to wait when nothing is due (ms). */
  pollMs: number;
  now?: () => Date;
  random?: () => number;
  lookup?: LookupFn;
  /** This worker's name in `lease_owner` (default: host and pid). */
  name?: string;
  /** After a disable's transaction commits: the OWNERs' notifications it made (live updates). */
  notified?: (made: MadeNotification[]) => Promise<void>;
}

interface Claim {
  id: string;
  endpointId: string;
}

/** Per-endpoint counts, bounded: how many of a batch's candidates to look at per free slot. */
const CANDIDATES_PER_SLOT = 4;
const MAX_CANDIDATES = 200;
const SWEEP_EVERY_MS = 10 * 60_000;
const SWEEP_BATCH = 1_000;
const ERROR_MAX_LENGTH = 500;

export class DeliveryWorker {
  readonly name: string;
  private readonly now: () => Date;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  private wake = new AbortController();
  private lastSweepAt = 0;
  /** When the loop last went round (liveness). */
  lastAliveAt = Date.now();

  constructor(private readonly options: DeliveryWorkerOptions) {
    if (options.leaseMs <= options.timeoutMs) throw new Error('The lease must outlast an attempt (leaseMs > timeoutMs).');
    this.now = options.now ?? (() => new Date());
    this.name = (options.name ?? `${hostname()}:${process.pid}`).slice(0, 80);
  }

  /** Runs until stop(), then lets the attempts in flight finish (each within its timeout). */
  async run(): Promise<void> {
    while (!this.stopping) {
      this.lastAliveAt = Date.now();
      let claimed = 0;
      try {
        await this.sweepIfDue();
        claimed = this.free() > 0 ? await this.claimAndStart() : 0;
      } catch (error) {
        this.options.logger.error({ err: error }, 'webhooks: claiming failed; trying again shortly');
      }
      if ((claimed === 0 || this.free() === 0) && !this.stopping) {
        await sleep(this.options.pollMs, undefined, { signal: this.wake.signal }).catch(() => undefined);
        if (this.wake.signal.aborted && !this.stopping) this.wake = new AbortController();
      }
    }
    await this.drain();
  }

  stop(): void {
    this.stopping = true;
    this.wake.abort();
  }

  /** Claims what is due and free to send and starts sending it; answers how many. */
  async claimAndStart(): Promise<number> {
    const claims = await this.claim();
    for (const claim of claims) {
      const attempt = this.deliver(claim)
        .catch((error: unknown) => this.options.logger.error({ err: error, deliveryId: claim.id }, 'webhooks: an attempt could not be recorded; its lease will run out'))
        .finally(() => {
          this.inFlight.delete(attempt);
          this.wake.abort();
        });
      this.inFlight.add(attempt);
    }
    return claims.length;
  }

  /** Waits for the attempts in flight. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private free(): number {
    return this.options.concurrency - this.inFlight.size;
  }

  private async claim(): Promise<Claim[]> {
    const { store, endpointConcurrency, leaseMs } = this.options;
    const free = this.free();
    const now = this.now();
    return store.$transaction(async (tx) => {
      const busy = await tx.$queryRaw<Array<{ endpoint_id: string; n: bigint | number }>>`
        SELECT endpoint_id, COUNT(*) AS n FROM webhook_deliveries WHERE lease_until > ${now} GROUP BY endpoint_id`;
      const held = new Map(busy.map((row) => [row.endpoint_id, Number(row.n)]));
      const full = [...held].filter(([, n]) => n >= endpointConcurrency).map(([id]) => id);
      const candidates = await tx.$queryRaw<Claim[]>`
        SELECT id, endpoint_id AS endpointId FROM webhook_deliveries
        WHERE next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now})
        ${full.length ? Prisma.sql`AND endpoint_id NOT IN (${Prisma.join(full)})` : Prisma.empty}
        ORDER BY next_attempt_at, id LIMIT ${Math.min(MAX_CANDIDATES, free * CANDIDATES_PER_SLOT)} FOR UPDATE SKIP LOCKED`;
      const picked: Claim[] = [];
      for (const candidate of candidates) {
        if (picked.length >= free) break;
        const n = held.get(candidate.endpointId) ?? 0;
        if (n >= endpointConcurrency) continue;
        held.set(candidate.endpointId, n + 1);
        picked.push(candidate);
      }
      if (picked.length) {
        await tx.webhookDelivery.updateMany({
          where: { id: { in: picked.map(({ id }) => id) } },
          data: { leaseOwner: this.name, leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now },
        });
      }
      return picked;
    });
  }

  private async deliver(claim: Claim): Promise<void> {
    const { store, secrets } = this.options;
    const delivery = await store.webhookDelivery.findUnique({ where: { id: claim.id } });
    if (!delivery || delivery.leaseOwner !== this.name) return;
    const endpoint = await store.webhookEndpoint.findUnique({ where: { id: delivery.endpointId } });
    if (!endpoint || endpoint.deletedAt || endpoint.status !== 'ENABLED') {
      await this.finish(delivery, { status: 'CANCELLED', nextAttemptAt: null });
      return;
    }
    const event = await store.webhookEvent.findUniqueOrThrow({ where: { id: delivery.eventId } });
    const body = JSON.stringify(event.payload);
    const startedAt = this.now();
    const signWith = [secrets.decrypt(endpoint.secret, endpoint.id)];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > startedAt) signWith.push(secrets.decrypt(endpoint.previousSecret, endpoint.id));
    const result = await sendWebhook({
      url: endpoint.url,
      headers: webhookHeaders(signWith, event.id, Math.floor(startedAt.getTime() / 1000), body),
      body,
      timeoutMs: this.options.timeoutMs,
      policy: this.options.policy,
      ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
    });
    await this.record(delivery, endpoint, body, startedAt, result);
  }

  /** The attempt's row, the delivery's outcome and the endpoint's, in one transaction (only while the lease is still this worker's). */
  private async record(delivery: WebhookDelivery, endpoint: WebhookEndpoint, body: string, startedAt: Date, result: AttemptResult): Promise<void> {
    const { store, logger } = this.options;
    const now = this.now();
    const attemptId = newWebhookId('attempt');
    const error = result.error?.slice(0, ERROR_MAX_LENGTH) ?? null;
    const step = delivery.retryStep + 1;
    const pause = result.ok ? null : retryDelay(this.options.retrySchedule, step);
    const failingSince = endpoint.failingSince ?? startedAt;
    const cause: DisableCause | null = result.ok ? null : isGone(result.status) ? 'GONE' : now.getTime() - failingSince.getTime() >= FAILING_DISABLES_AFTER_MS ? 'FAILING' : null;
    const outcome: Pick<WebhookDelivery, 'status' | 'nextAttemptAt'> = result.ok
      ? { status: 'SUCCEEDED', nextAttemptAt: null }
      : pause === null
        ? { status: 'EXHAUSTED', nextAttemptAt: null }
        : { status: 'FAILED', nextAttemptAt: cause ? null : new Date(now.getTime() + withJitter(pause, this.options.random)) };
    const made = await store.$transaction(async (tx) => {
      await tx.webhookAttempt.create({
        data: {
          id: attemptId,
          deliveryId: delivery.id,
          endpointId: endpoint.id,
          number: delivery.attempts + 1,
          ok: result.ok,
          responseStatus: result.status,
          durationMs: Math.round(result.durationMs),
          error,
          connectedAddress: result.connectedAddress,
          requestBody: cut(body),
          responseBody: cut(result.responseBody),
          attemptedAt: startedAt,
        },
      });
      const moved = await tx.webhookDelivery.updateMany({
        where: { id: delivery.id, leaseOwner: this.name },
        data: {
          ...outcome,
          attempts: { increment: 1 },
          retryStep: result.ok ? delivery.retryStep : step,
          lastResponseStatus: result.status,
          lastDurationMs: Math.round(result.durationMs),
          lastAttemptAt: startedAt,
          lastError: error,
          leaseOwner: null,
          leaseUntil: null,
          updatedAt: now,
        },
      });
      // Redelivered, cancelled or taken over meanwhile: only the attempt's row is this worker's to write.
      if (moved.count !== 1) return [];
      if (result.ok) {
        // Written when it changes something the 5-day rule reads, else at most once a minute: concurrent attempts to one endpoint would otherwise queue on its row.
        const stale = !endpoint.lastSuccessAt || startedAt.getTime() - endpoint.lastSuccessAt.getTime() > 60_000;
        if (endpoint.failingSince || stale) await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { lastSuccessAt: startedAt, failingSince: null } });
        return [];
      }
      await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id, failingSince: null }, data: { failingSince: startedAt } });
      return cause ? disableEndpoint(tx, endpoint, cause, now, attemptId) : [];
    });
    const log = { deliveryId: delivery.id, endpointId: endpoint.id, eventType: delivery.eventType, attempt: delivery.attempts + 1, status: result.status, ms: Math.round(result.durationMs) };
    if (result.ok) logger.info(log, 'webhook delivered');
    else logger.warn({ ...log, error, outcome: outcome.status, nextAttemptAt: outcome.nextAttemptAt }, 'webhook attempt failed');
    if (cause) logger.warn({ endpointId: endpoint.id, businessId: endpoint.businessId, cause, owners: made.length }, 'webhook endpoint disabled');
    if (made.length) await this.options.notified?.(made);
  }

  private async finish(delivery: WebhookDelivery, outcome: Pick<WebhookDelivery, 'status' | 'nextAttemptAt'>): Promise<void> {
    await this.options.store.webhookDelivery.updateMany({
      where: { id: delivery.id, leaseOwner: this.name },
      data: { ...outcome, leaseOwner: null, leaseUntil: null, updatedAt: this.now() },
    });
  }

  /** Forgets what is older than 30 days (attempts, finished deliveries, their events), a batch every ten minutes. */
  private async sweepIfDue(): Promise<void> {
    if (Date.now() - this.lastSweepAt < SWEEP_EVERY_MS) return;
    this.lastSweepAt = Date.now();
    const { store } = this.options;
    const before = new Date(this.now().getTime() - RETENTION_MS);
    await store.$executeRaw`DELETE FROM webhook_attempts WHERE attempted_at < ${before} LIMIT ${SWEEP_BATCH}`;
    await store.$executeRaw`DELETE FROM webhook_deliveries WHERE created_at < ${before} AND next_attempt_at IS NULL LIMIT ${SWEEP_BATCH}`;
    await store.$executeRaw`
      DELETE FROM webhook_events WHERE created_at < ${before}
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id) LIMIT ${SWEEP_BATCH}`;
  }
}

/** At most RESPONSE_BODY_LIMIT_BYTES of UTF-8 (a character cut in half is dropped). */
function cut(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= RESPONSE_BODY_LIMIT_BYTES) return text;
  return bytes.subarray(0, RESPONSE_BODY_LIMIT_BYTES).toString('utf8').replace(/\uFFFD$/, '');
}
