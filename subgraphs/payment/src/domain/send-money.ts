import { transferCompleted } from '@harbour/events';
import { badUserInput, notFound } from '@harbour/errors';
import type { Transfer } from '@harbour/prisma/payment';
import { newId, userKey } from '@harbour/server';
import type { PaymentServices } from '../services';
import { recordEvent } from './events';
import { claimIdempotencyKey, requestHash } from './idempotency';
import { lockWallet, postEntry } from './ledger/journal';
import { moneyTransaction } from './ledger/transaction';
import { insufficientFunds } from './pay-payment-request';
import { checkAmount, checkIdempotencyKey, checkMessage, CURRENCY } from './validation';

export interface SendMoneyInput {
  toUserId: string;
  amount: bigint;
  message?: string | null;
  idempotencyKey: string;
}

/** Wallet to wallet. Both wallets are locked in account-id order, the global lock order for wallets. */
export async function sendMoney(services: PaymentServices, senderUserId: string, input: SendMoneyInput, requestId?: string): Promise<Transfer> {
  const amount = checkAmount(input.amount, services.config.paymentLimitMinor);
  const message = checkMessage(input.message);
  if (input.toUserId === senderUserId) throw badUserInput('You cannot send money to yourself.', 'toUserId');
  const scope = { callerId: senderUserId, operation: 'sendMoney', key: checkIdempotencyKey(input.idempotencyKey) };
  const hash = requestHash({ toUserId: input.toUserId, amount, message });

  const users = await services.directory.users([senderUserId, input.toUserId], requestId);
  const recipient = users.get(input.toUserId);
  const sender = users.get(senderUserId);
  if (!recipient || !sender) throw notFound('User');
  const [from, to] = await Promise.all([services.accounts.wallet(senderUserId, CURRENCY), services.accounts.wallet(input.toUserId, CURRENCY)]);

  const transferId = await moneyTransaction(services.store, async (tx) => {
    const now = services.now();
    const id = newId('transfer');
    const replay = await claimIdempotencyKey(tx, scope, hash, now, { transferId: id });
    if (replay) return replay.transferId;

    const balances = new Map<string, bigint>();
    for (const accountId of [from.id, to.id].sort()) balances.set(accountId, await lockWallet(tx, accountId));
    if (balances.get(from.id)! < amount) throw insufficientFunds();

    await tx.transfer.createMany({
      data: { id, senderUserId, recipientUserId: input.toUserId, amount, currency: CURRENCY, message, createdAt: now },
    });
    await postEntry(tx, {
      kind: 'TRANSFER',
      referenceId: id,
      currency: CURRENCY,
      createdAt: now,
      lines: [
        { accountId: from.id, shard: 0, amount: -amount },
        { accountId: to.id, shard: 0, amount },
      ],
    });
    await recordEvent(tx, transferCompleted, { type: 'transfer', id }, {
      transferId: id,
      senderUserId,
      senderDisplayName: sender.displayName,
      recipientUserId: recipient.id,
      recipientDisplayName: recipient.displayName,
      amountMinor: amount.toString(),
      currency: CURRENCY,
      message,
      createdAt: now.toISOString(),
    }, now);
    return id;
  });
  services.eventsWritten();
  await services.recentWrites.note([userKey(senderUserId), userKey(input.toUserId)]);
  return services.store.transfer.findUniqueOrThrow({ where: { id: transferId } });
}
