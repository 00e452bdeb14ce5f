/**
 * The payout run (`npm run payouts:run`; a Kubernetes CronJob at
 * PAYOUT_CUTOFF in the cluster): its own process, never the request path.
 * Each step is safe to repeat, so a run that dies half-way is finished by
 * the next one:
 *
 * 1. automatic payouts for the Hong Kong day (one per business and day);
 * 2. every PENDING payout whose hold has passed goes into one batch: the
 *    payouts turn IN_TRANSIT with the batch row in one transaction, then the
 *    file is written to Blob storage (a batch without its file yet is written
 *    again, the same file, from its rows);
 * 3. in sandbox mode, the bank simulator answers each batch without an answer;
 * 4. each answer file is applied once: PAID (clearing → the bank) or FAILED
 *    (clearing → back to the business), with `payout.paid` / `payout.failed`.
 */
import type { BlobStore } from '@harbour/blob';
import { payoutFailed, payoutPaid } from '@harbour/events';
import type { Logger } from '@harbour/logger';
import { Prisma, type Payout, type PayoutBatch } from '@harbour/prisma/payment';
import { businessKey, newId } from '@harbour/server';
import { paymentEvent, writeEvents } from '../../domain/events';
import { anyShard, postEntry } from '../../domain/ledger/journal';
import { moneyTransaction } from '../../domain/ledger/transaction';
import type { PaymentServices } from '../../services';
import { bankName } from '../bank-codes';
import { readAnswerFile, writeBatchFile, type AnswerLine } from '../bank/batch-file';
import { answerBatch } from '../bank/simulator';
import { makePayout } from '../request-payout';
import { dayText, hongKongDay } from '../rules';

/** The most payouts one batch file carries; more wait for the next run. */
const BATCH_LIMIT = 5_000;

export interface RunOutcome {
  automatic: number;
  batches: string[];
  sent: number;
  paid: number;
  failed: number;
}

export interface PayoutRunOptions {
  services: PaymentServices;
  blob: BlobStore;
  logger: Logger;
  /** Sandbox: the simulator answers each batch at once. */
  simulateBank: boolean;
}

export async function runPayouts(options: PayoutRunOptions): Promise<RunOutcome> {
  const { services, blob } = options;
  await blob.ensureContainer();
  const now = services.now();
  const automatic = await createAutomaticPayouts(services, now);
  const batch = await batchDuePayouts(services, now);
  const unwritten = await services.store.payoutBatch.findMany({ where: { uploadedAt: null }, orderBy: { createdAt: 'asc' } });
  for (const pending of unwritten) await writeBatch(services, blob, pending);
  const unanswered = await services.store.payoutBatch.findMany({ where: { uploadedAt: { not: null }, answeredAt: null }, orderBy: { createdAt: 'asc' } });
  if (options.simulateBank) await simulateAnswers(blob, unanswered);
  let paid = 0;
  let failed = 0;
  for (const waiting of unanswered) {
    const applied = await applyAnswer(services, blob, waiting, options.logger);
    paid += applied.paid;
    failed += applied.failed;
  }
  const outcome = { automatic, batches: batch ? [batch.id] : [], sent: batch?.payoutCount ?? 0, paid, failed };
  options.logger.info(outcome, 'payout run done');
  return outcome;
}

/** Where a batch's files live: under the Hong Kong day it was made. */
export const batchBlobName = (batch: Pick<PayoutBatch, 'id' | 'createdAt'>) => `payouts/${dayText(hongKongDay(batch.createdAt))}/${batch.id}.csv`;
export const answerBlobName = (batch: Pick<PayoutBatch, 'id' | 'createdAt'>) => batchBlobName(batch).replace(/\.csv$/, '.answer.csv');

/** One AUTOMATIC payout per business with a payout account and at least PAYOUT_MINIMUM available, for the day. */
async function createAutomaticPayouts(services: PaymentServices, now: Date): Promise<number> {
  const day = hongKongDay(now);
  const accounts = await services.store.payoutAccount.findMany({ select: { businessId: true } });
  let made = 0;
  for (const { businessId } of accounts) {
    try {
      const payout = await moneyTransaction(services.store, (tx) =>
        makePayout(tx, services, { id: newId('payout'), businessId, amount: null, trigger: 'AUTOMATIC', requestedByUserId: null, payoutDay: day, minimum: services.config.payoutMinimumMinor }, now),
      );
      if (payout) {
        made += 1;
        await services.recentWrites.note([businessKey(businessId)]);
      }
    } catch (error) {
      // Already made for this day (a second run): the unique (business, day) refused it, and nothing moved.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') continue;
      throw error;
    }
  }
  return made;
}

/** Every PENDING payout due by `now` joins one new batch, IN_TRANSIT with it, in one transaction. */
async function batchDuePayouts(services: PaymentServices, now: Date): Promise<PayoutBatch | null> {
  return services.store.$transaction(async (tx) => {
    const due = await tx.$queryRaw<Array<{ id: string; amount: bigint }>>`
      SELECT id, amount FROM payouts WHERE status = 'PENDING' AND not_before <= ${now} ORDER BY not_before, id LIMIT ${BATCH_LIMIT} FOR UPDATE`;
    if (due.length === 0) return null;
    const batch: PayoutBatch = {
      id: newId('payoutBatch'),
      blobName: '',
      payoutCount: due.length,
      totalMinor: due.reduce((sum, row) => sum + BigInt(row.amount), 0n),
      currency: 'HKD',
      createdAt: now,
      uploadedAt: null,
      answerBlobName: null,
      answeredAt: null,
    };
    batch.blobName = batchBlobName(batch);
    await tx.payoutBatch.createMany({ data: batch });
    const moved = await tx.payout.updateMany({ where: { id: { in: due.map((row) => row.id) }, status: 'PENDING' }, data: { status: 'IN_TRANSIT', batchId: batch.id, sentAt: now, updatedAt: now } });
    if (moved.count !== due.length) throw new Error('A payout left PENDING while it was locked.');
    return batch;
  });
}

/** Writes a batch's file from its rows (the same file however often), then records that it is written. */
async function writeBatch(services: PaymentServices, blob: BlobStore, batch: PayoutBatch): Promise<void> {
  const payouts = await services.store.payout.findMany({ where: { batchId: batch.id }, orderBy: { id: 'asc' } });
  const text = writeBatchFile({
    batchId: batch.id,
    createdAt: batch.createdAt,
    currency: batch.currency,
    lines: payouts.map((payout) => ({
      payoutId: payout.id,
      bankCode: payout.bankCode,
      branchCode: payout.branchCode,
      accountNumber: services.config.accountNumbers.decrypt(payout.accountNumberEncrypted, payout.businessId),
      accountHolderName: payout.accountHolderName,
      amount: payout.amount,
      currency: payout.currency,
    })),
  });
  await blob.uploadText(batch.blobName, text, 'text/csv; charset=utf-8');
  await services.store.payoutBatch.update({ where: { id: batch.id }, data: { uploadedAt: services.now() } });
}

/** Sandbox: the simulator answers each of these written, unanswered batches that has no answer file yet. */
async function simulateAnswers(blob: BlobStore, waiting: PayoutBatch[]): Promise<void> {
  for (const batch of waiting) {
    if (await blob.exists(answerBlobName(batch))) continue;
    await blob.uploadText(answerBlobName(batch), answerBatch(await blob.downloadText(batch.blobName)), 'text/csv; charset=utf-8');
  }
}

/**
 * Applies a batch's answer file once: claiming the batch (answered_at, a
 * guarded update) is in the same transaction as every payout's move, so a
 * second application finds it claimed and changes nothing.
 */
export async function applyAnswer(services: PaymentServices, blob: BlobStore, batch: PayoutBatch, logger: Logger): Promise<{ paid: number; failed: number }> {
  const name = answerBlobName(batch);
  if (!(await blob.exists(name))) return { paid: 0, failed: 0 };
  const answers = new Map(readAnswerFile(await blob.downloadText(name)).map((line) => [line.payoutId, line]));
  const payouts = await services.store.payout.findMany({ where: { batchId: batch.id, status: 'IN_TRANSIT' } });
  const owners = new Map<string, { name: string; ownerUserIds: string[] }>();
  for (const businessId of new Set(payouts.map((payout) => payout.businessId))) {
    const found = await services.directory.owners(businessId);
    owners.set(businessId, { name: found?.business.name ?? businessId, ownerUserIds: found?.ownerUserIds ?? [] });
  }
  const [clearing, paidOut] = await Promise.all([services.accounts.payoutClearing('HKD'), services.accounts.payoutsPaid('HKD')]);
  const businessAccounts = new Map<string, { id: string; shardCount: number }>();
  for (const businessId of owners.keys()) businessAccounts.set(businessId, await services.accounts.business(businessId, 'HKD'));
  const outcome = await moneyTransaction(services.store, async (tx) => {
    const now = services.now();
    const claimed = await tx.payoutBatch.updateMany({ where: { id: batch.id, answeredAt: null }, data: { answeredAt: now, answerBlobName: name } });
    if (claimed.count === 0) return { paid: 0, failed: 0 };
    let paid = 0;
    let failed = 0;
    for (const payout of payouts) {
      const answer = answers.get(payout.id);
      if (!answer) {
        logger.error({ payoutId: payout.id, batchId: batch.id }, 'the bank’s answer does not name this payout: it stays IN_TRANSIT');
        continue;
      }
      const accounts = { clearing, paidOut, businessAccount: businessAccounts.get(payout.businessId)! };
      if (await settleAnswer(tx, payout, answer, now, accounts, owners.get(payout.businessId)!)) {
        if (answer.result === 'PAID') paid += 1;
        else failed += 1;
      }
    }
    const inBatch = new Set(payouts.map((payout) => payout.id));
    for (const payoutId of answers.keys()) {
      if (!inBatch.has(payoutId)) logger.warn({ payoutId, batchId: batch.id }, 'the bank answered for a payout not in transit in this batch: ignored');
    }
    return { paid, failed };
  });
  services.eventsWritten();
  await services.recentWrites.note([...owners.keys()].map(businessKey));
  return outcome;
}

type Accounts = Record<'clearing' | 'paidOut' | 'businessAccount', { id: string; shardCount: number }>;

/** One payout's answer: its status, its money, its event. False when it was no longer IN_TRANSIT. */
async function settleAnswer(tx: Prisma.TransactionClient, payout: Payout, answer: AnswerLine, now: Date, accounts: Accounts, business: { name: string; ownerUserIds: string[] }): Promise<boolean> {
  const moved = await tx.payout.updateMany({
    where: { id: payout.id, status: 'IN_TRANSIT' },
    data: answer.result === 'PAID' ? { status: 'PAID', paidAt: now, updatedAt: now } : { status: 'FAILED', failureCode: answer.failureCode, failedAt: now, updatedAt: now },
  });
  if (moved.count !== 1) return false;
  const to = answer.result === 'PAID' ? accounts.paidOut : accounts.businessAccount;
  await postEntry(tx, {
    kind: answer.result === 'PAID' ? 'PAYOUT_PAID' : 'PAYOUT_REVERSAL',
    referenceId: payout.id,
    currency: payout.currency,
    createdAt: now,
    lines: [
      { accountId: accounts.clearing.id, shard: anyShard(accounts.clearing.shardCount), amount: -payout.amount },
      { accountId: to.id, shard: anyShard(to.shardCount), amount: payout.amount },
    ],
  });
  // A business with no OWNER left has nobody to tell (the events name at least one).
  if (business.ownerUserIds.length === 0) return true;
  const common = {
    payoutId: payout.id,
    businessId: payout.businessId,
    businessName: business.name,
    ownerUserIds: business.ownerUserIds,
    amountMinor: payout.amount.toString(),
    currency: payout.currency,
    trigger: payout.trigger,
    destination: { bankCode: payout.bankCode, bankName: bankName(payout.bankCode) ?? payout.bankCode, accountNumberLast4: payout.accountNumberLast4 },
  };
  const aggregate = { type: 'payout', id: payout.id };
  await writeEvents(tx, [
    answer.result === 'PAID'
      ? paymentEvent(payoutPaid, aggregate, { ...common, paidAt: now.toISOString() }, now)
      : paymentEvent(payoutFailed, aggregate, { ...common, failureCode: answer.failureCode!, failedAt: now.toISOString() }, now),
  ]);
  return true;
}
