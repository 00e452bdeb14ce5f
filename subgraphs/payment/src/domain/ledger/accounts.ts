import type { AccountType, PaymentStore } from '@harbour/prisma/payment';
import { Prisma } from '@harbour/prisma/payment';
import { newId } from '@harbour/server';

/** Owner id of the system accounts (external funding, fees, payouts), which belong to no user or business. */
export const SYSTEM_OWNER = 'system';

export interface AccountRef {
  id: string;
  shardCount: number;
}

/**
 * Account ids never change, so each process remembers the ones it has seen:
 * the hot path (a payment) does not look its two accounts up every time.
 */
export class AccountDirectory {
  private readonly known = new Map<string, AccountRef>();

  constructor(
    private readonly store: PaymentStore,
    private readonly shards: { business: number; system: number },
  ) {}

  wallet(userId: string, currency: string) {
    return this.ensure('WALLET', userId, currency, 1);
  }

  business(businessId: string, currency: string) {
    return this.ensure('BUSINESS', businessId, currency, this.shards.business);
  }

  externalFunding(currency: string) {
    return this.ensure('EXTERNAL_FUNDING', SYSTEM_OWNER, currency, this.shards.system);
  }

  /** The platform's fees: credited by every payment, debited by fee refunds. */
  fees(currency: string) {
    return this.ensure('FEE', SYSTEM_OWNER, currency, this.shards.system);
  }

  /** Payouts sent to the bank and not yet confirmed paid or failed. */
  payoutClearing(currency: string) {
    return this.ensure('PAYOUT_CLEARING', SYSTEM_OWNER, currency, this.shards.system);
  }

  /** Money that left Harbour to businesses' bank accounts (the counterpart of EXTERNAL_FUNDING). */
  payoutsPaid(currency: string) {
    return this.ensure('PAYOUT', SYSTEM_OWNER, currency, this.shards.system);
  }

  /** The account, opened (with its zero balance shards) the first time it is needed. */
  private async ensure(type: AccountType, ownerId: string, currency: string, shardCount: number): Promise<AccountRef> {
    const cacheKey = `${type}:${ownerId}:${currency}`;
    const cached = this.known.get(cacheKey);
    if (cached) return cached;
    const where = { type_ownerId_currency: { type, ownerId, currency } };
    let account = await this.store.account.findUnique({ where, select: { id: true, shardCount: true } });
    if (!account) {
      try {
        account = await this.store.account.create({
          data: {
            id: newId('account'),
            type,
            ownerId,
            currency,
            shardCount,
            balances: { createMany: { data: Array.from({ length: shardCount }, (_, shard) => ({ shard, balance: 0n })) } },
          },
          select: { id: true, shardCount: true },
        });
      } catch (error) {
        // Another request opened it at the same moment.
        if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
        account = await this.store.account.findUniqueOrThrow({ where, select: { id: true, shardCount: true } });
      }
    }
    this.known.set(cacheKey, account);
    return account;
  }
}
