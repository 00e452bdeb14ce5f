/**
 * `npm run payouts:run`: one payout run, then exit (0 done, 1 failed). The
 * Kubernetes CronJob `payouts` runs it at PAYOUT_CUTOFF; locally it pays the
 * stack's PENDING payouts at once, and in sandbox mode the bank simulator
 * answers, so they are PAID or FAILED within seconds.
 */
import { blobStoreFromEnv } from '@harbour/blob';
import { databaseUrl } from '@harbour/config';
import { loadIdentitySecret } from '@harbour/identity';
import { createLogger } from '@harbour/logger';
import { createPaymentStore } from '@harbour/prisma/payment';
import { createPaymentServices } from '../../build';
import { paymentConfig } from '../../config';
import { runPayouts } from './payout-run';

/** The container for the bank's files (and statements): `payouts/…` inside it. */
export const MONEY_OUT_CONTAINER_VAR = 'MONEY_OUT_BLOB_CONTAINER';

async function main(): Promise<void> {
  const config = paymentConfig();
  const logger = createLogger('payouts', config.logLevel);
  const store = createPaymentStore(databaseUrl('payment'), config.databasePool);
  try {
    const services = createPaymentServices({ config, store, identitySecret: loadIdentitySecret(config) });
    const blob = blobStoreFromEnv(process.env, process.env[MONEY_OUT_CONTAINER_VAR] || 'harbour-money-out');
    const outcome = await runPayouts({ services, blob, logger, simulateBank: config.mode === 'sandbox' });
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  } finally {
    await store.$disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`payouts: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
