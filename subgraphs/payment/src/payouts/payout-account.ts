import { payoutAccountChanged } from '@harbour/events';
import { forbidden, notFound } from '@harbour/errors';
import type { PayoutAccount } from '@harbour/prisma/payment';
import { businessKey } from '@harbour/server';
import { paymentEvent, writeEvents } from '../domain/events';
import type { PaymentServices } from '../services';
import { checkPayoutAccount, last4 } from './account-rules';
import { bankName } from './bank-codes';

export interface SetPayoutAccountInput {
  businessId: string;
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  accountHolderName: string;
}

/**
 * An OWNER sets or changes where the business's payouts go (money-out.md).
 * The number is kept only encrypted, bound to the business; every OWNER is
 * told (`payout_account.changed` → PAYOUT_ACCOUNT_CHANGED) and nothing is
 * paid out before the hold ends (PAYOUT_HOLD_HOURS), the window in which an
 * owner can notice a change they did not make.
 */
export async function setBusinessPayoutAccount(services: PaymentServices, userId: string, input: SetPayoutAccountInput, requestId?: string): Promise<PayoutAccount> {
  const account = checkPayoutAccount(input);
  const membership = await services.directory.membership(input.businessId, userId, requestId);
  if (!membership?.role) throw notFound('Business');
  if (membership.role !== 'OWNER') throw forbidden('Only an OWNER can set the payout account.');
  const owners = await services.directory.owners(input.businessId, requestId);
  if (!owners) throw notFound('Business');

  const now = services.now();
  const holdUntil = new Date(now.getTime() + services.config.payoutHoldMs);
  const fields = {
    bankCode: account.bankCode,
    branchCode: account.branchCode,
    accountNumberEncrypted: services.config.accountNumbers.encrypt(account.accountNumber, input.businessId),
    accountNumberLast4: last4(account.accountNumber),
    accountHolderName: account.accountHolderName,
    changedByUserId: userId,
    holdUntil,
    updatedAt: now,
  };
  const saved = await services.store.$transaction(async (tx) => {
    const row = await tx.payoutAccount.upsert({
      where: { businessId: input.businessId },
      create: { businessId: input.businessId, ...fields, createdAt: now },
      update: fields,
    });
    await writeEvents(tx, [
      paymentEvent(payoutAccountChanged, { type: 'business', id: input.businessId }, {
        businessId: input.businessId,
        businessName: owners.business.name,
        changedByUserId: userId,
        ownerUserIds: owners.ownerUserIds.length > 0 ? owners.ownerUserIds : [userId],
        destination: { bankCode: row.bankCode, bankName: bankName(row.bankCode)!, accountNumberLast4: row.accountNumberLast4 },
        holdUntil: holdUntil.toISOString(),
        changedAt: now.toISOString(),
      }, now),
    ]);
    return row;
  });
  services.eventsWritten();
  await services.recentWrites.note([businessKey(input.businessId)]);
  return saved;
}

/** A payout account as every answer shows it: never the full number. */
export function publicPayoutAccount(row: PayoutAccount) {
  return {
    bankCode: row.bankCode,
    bankName: bankName(row.bankCode) ?? row.bankCode,
    branchCode: row.branchCode,
    accountNumberLast4: row.accountNumberLast4,
    accountHolderName: row.accountHolderName,
    updatedAt: row.updatedAt,
  };
}
