/**
 * `npm run payouts:run`: one payout run, then exit (0 done, 1 failed). The
 * Kubernetes CronJob `payouts` runs it at PAYOUT_CUTOFF; locally it pays the
 * stack's PENDING payouts at once, and in sandbox mode the bank simulator
 * answers, so they are PAID or FAILED within seconds.
 */
import { databaseUrl } from '@harbour/config';
import { loadIdentitySecret } from '@harbour/identity';
import { createLogger } from '@harbour/logger';
import { createPaymentStore } from '@harbour/prisma/payment';
import { createPaymentServices } from '../../build';
import { paymentConfig } from '../../config';
import { runPayouts } from './payout-run';

async function main(): Promise<void> {
  const config = paymentConfig();
  const logger = createLogger('payouts', config.logLevel);
  const store = createPaymentStore(databaseUrl('payment'), config.databasePool);
  try {
    const services = createPaymentServices({ config, store, identitySecret: loadIdentitySecret(config) });
    const outcome = await runPayouts({ services, blob: config.moneyOutFiles, logger, simulateBank: config.mode === 'sandbox' });
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  } finally {
    await store.$disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`payouts: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
