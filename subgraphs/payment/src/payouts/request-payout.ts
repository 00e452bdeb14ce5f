import { badUserInput, forbidden, harbourError, notFound, ErrorCode } from '@harbour/errors';
import type { Payout, PayoutTrigger, Prisma } from '@harbour/prisma/payment';
import { businessKey, newId } from '@harbour/server';
import { claimIdempotencyKey, requestHash } from '../domain/idempotency';
import { anyShard, debitAcrossShards, lockAllShards, postEntry } from '../domain/ledger/journal';
import { moneyTransaction } from '../domain/ledger/transaction';
import { checkIdempotencyKey } from '../domain/validation';
import type { PaymentServices } from '../services';
import { expectedArrivalDate, notBeforeOf } from './rules';

export const payoutAccountRequired = () => harbourError(ErrorCode.PAYOUT_ACCOUNT_REQUIRED, 'The business has no payout account: an OWNER sets one first.');
const moreThanAvailable = () => harbourError(ErrorCode.INSUFFICIENT_FUNDS, 'The business’s available balance is less than the payout.');

/**
 * Inside the caller's money transaction: makes a PENDING payout of `amount`
 * (null: everything available) and moves its money out of the business's
 * available balance into PAYOUT_CLEARING. Locks every shard of the business
 * first, so concurrent payouts and refunds queue and none takes more than
 * is there. Null when `amount` is null and nothing is available.
 */
export async function makePayout(
  tx: Prisma.TransactionClient,
  services: PaymentServices,
  terms: { id: string; businessId: string; amount: bigint | null; trigger: PayoutTrigger; requestedByUserId: string | null; payoutDay: Date | null; minimum: bigint },
  now: Date,
): Promise<Payout | null> {
  const [businessAccount, clearing] = await Promise.all([services.accounts.business(terms.businessId, 'HKD'), services.accounts.payoutClearing('HKD')]);
  const account = await tx.payoutAccount.findUnique({ where: { businessId: terms.businessId } });
  if (!account) throw payoutAccountRequired();
  const shards = await lockAllShards(tx, businessAccount.id);
  const available = shards.reduce((sum, shard) => sum + shard.balance, 0n);
  const amount = terms.amount ?? available;
  if (terms.amount === null && amount < terms.minimum) return null;
  if (amount > available || amount <= 0n) throw moreThanAvailable();

  const notBefore = notBeforeOf(now, account.holdUntil);
  const payout: Payout = {
    id: terms.id,
    businessId: terms.businessId,
    status: 'PENDING',
    trigger: terms.trigger,
    amount,
    currency: 'HKD',
    bankCode: account.bankCode,
    branchCode: account.branchCode,
    accountNumberEncrypted: account.accountNumberEncrypted,
    accountNumberLast4: account.accountNumberLast4,
    accountHolderName: account.accountHolderName,
    requestedByUserId: terms.requestedByUserId,
    payoutDay: terms.payoutDay,
    notBefore,
    expectedArrivalDate: expectedArrivalDate(notBefore, services.config.payoutCutoffMinutes),
    batchId: null,
    failureCode: null,
    createdAt: now,
    sentAt: null,
    paidAt: null,
    failedAt: null,
    updatedAt: now,
  };
  await tx.payout.createMany({ data: payout });
  await postEntry(tx, {
    kind: 'PAYOUT',
    referenceId: payout.id,
    currency: 'HKD',
    createdAt: now,
    lines: [...debitAcrossShards(businessAccount.id, shards, amount), { accountId: clearing.id, shard: anyShard(clearing.shardCount), amount }],
  });
  return payout;
}

export interface RequestPayoutInput {
  businessId: string;
  amount?: bigint | null;
  idempotencyKey: string;
}

/** An OWNER pays out now (money-out.md): idempotent like every money move; never more than available. */
export async function requestPayout(services: PaymentServices, userId: string, input: RequestPayoutInput, requestId?: string): Promise<Payout> {
  const amount = input.amount ?? null;
  if (amount !== null && amount <= 0n) throw badUserInput('The amount must be more than zero.', 'amount');
  const scope = { callerId: userId, operation: 'requestPayout', key: checkIdempotencyKey(input.idempotencyKey) };
  const hash = requestHash({ businessId: input.businessId, amount });
  const membership = await services.directory.membership(input.businessId, userId, requestId);
  if (!membership?.role) throw notFound('Business');
  if (membership.role !== 'OWNER') throw forbidden('Only an OWNER can request a payout.');

  const payoutId = await moneyTransaction(services.store, async (tx) => {
    const now = services.now();
    const id = newId('payout');
    const replay = await claimIdempotencyKey(tx, scope, hash, now, { payoutId: id });
    if (replay) return replay.payoutId;
    const payout = await makePayout(tx, services, { id, businessId: input.businessId, amount, trigger: 'MANUAL', requestedByUserId: userId, payoutDay: null, minimum: 1n }, now);
    if (!payout) throw moreThanAvailable();
    return payout.id;
  });
  await services.recentWrites.note([businessKey(input.businessId)]);
  return services.store.payout.findUniqueOrThrow({ where: { id: payoutId } });
}
