import type { Prisma, PaymentStore } from '@harbour/prisma/payment';

/** MySQL's deadlock (1213) and lock wait timeout (1205): the transaction was rolled back or can be retried. */
export function isRetryable(error: unknown): boolean {
  const text = `${(error as { code?: string })?.code ?? ''} ${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? '')}`;
  return /P2034|1213|1205|deadlock|lock wait timeout/i.test(text);
}

export function isLockTimeout(error: unknown): boolean {
  const text = `${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? '')}`;
  return /1205|lock wait timeout/i.test(text);
}

export interface MoneyTransactionOptions {
  /** Attempts in all when MySQL reports a deadlock or lock timeout (default 4). */
  attempts?: number;
}

/**
 * One money movement: an interactive transaction under REPEATABLE READ,
 * retried from the start (with jitter) when MySQL picks it as a deadlock
 * victim or a lock wait times out. `work` must be safe to run again: it
 * re-reads and re-locks everything it decides on.
 */
export async function moneyTransaction<T>(
  store: PaymentStore,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
  options: MoneyTransactionOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.$transaction(work, { isolationLevel: 'RepeatableRead', maxWait: 5_000, timeout: 15_000 });
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt + Math.random() * 20));
    }
  }
}
