import { walletToppedUp } from '@harbour/events';
import { forbidden } from '@harbour/errors';
import { userKey } from '@harbour/server';
import type { PaymentServices } from '../services';
import { recordEvent } from './events';
import { claimIdempotencyKey, recordIdempotentResponse, requestHash } from './idempotency';
import { anyShard, postEntry } from './ledger/journal';
import { moneyTransaction } from './ledger/transaction';
import { checkAmount, checkIdempotencyKey, CURRENCY } from './validation';

export interface TopUpResult {
  userId: string;
  /** The wallet's balance right after this top-up (a repeat with the same key answers the same). */
  balanceMinor: bigint;
  currency: string;
}

/**
 * Stands in for a transfer in from the user's bank: moves money from the
 * external funding account (which goes negative: it is the outside world's
 * side of the ledger) to the wallet. Sandbox mode only.
 */
export async function topUpWallet(
  services: PaymentServices,
  userId: string,
  input: { amount: bigint; idempotencyKey: string },
): Promise<TopUpResult> {
  if (services.config.mode !== 'sandbox') throw forbidden('topUpWallet exists only in sandbox mode.');
  const amount = checkAmount(input.amount, services.config.paymentLimitMinor);
  const scope = { callerId: userId, operation: 'topUpWallet', key: checkIdempotencyKey(input.idempotencyKey) };
  const hash = requestHash({ amount });
  const wallet = await services.accounts.wallet(userId, CURRENCY);
  const funding = await services.accounts.externalFunding(CURRENCY);

  const result = await moneyTransaction(services.store, async (tx) => {
    const now = services.now();
    const replay = await claimIdempotencyKey<{ balanceMinor: string }>(tx, scope, hash, now);
    if (replay) return { userId, balanceMinor: BigInt(replay.balanceMinor), currency: CURRENCY };
    const entryId = await postEntry(tx, {
      kind: 'TOP_UP',
      referenceId: wallet.id,
      currency: CURRENCY,
      createdAt: now,
      lines: [
        { accountId: funding.id, shard: anyShard(funding.shardCount), amount: -amount },
        { accountId: wallet.id, shard: 0, amount },
      ],
    });
    const [row] = await tx.$queryRaw<Array<{ balance: bigint }>>`SELECT balance FROM account_balances WHERE account_id = ${wallet.id} AND shard = 0`;
    const balanceMinor = BigInt(row!.balance);
    await recordEvent(tx, walletToppedUp, { type: 'wallet', id: wallet.id }, {
      topUpId: entryId,
      userId,
      accountId: wallet.id,
      amountMinor: amount.toString(),
      balanceMinor: balanceMinor.toString(),
      currency: CURRENCY,
      toppedUpAt: now.toISOString(),
    }, now);
    await recordIdempotentResponse(tx, scope, { balanceMinor: balanceMinor.toString() });
    return { userId, balanceMinor, currency: CURRENCY };
  });
  services.eventsWritten();
  await services.recentWrites.note([userKey(userId)]);
  return result;
}
