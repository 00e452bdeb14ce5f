/**
 * `npm run bench:payments`: PayPaymentRequest through the gateway of a whole
 * stack (started as `npm start` starts it, on free ports, own databases),
 * many customers paying one business, at rising concurrency. Prints, per
 * step, payments per second and p50/p95/p99 latency, and the highest rate at
 * which p99 stays under 50 ms (Harbour's bar). Requests are created before
 * each step and not timed; only the payment is.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { contractOperation as op } from '../tests/support/contract';
import { ok, signUp, type Actor } from '../tests/support/actors';
import { startStack } from '../tests/support/stack';

const STEPS = (process.env.BENCH_CONCURRENCY ?? '1,2,4,8,16,32').split(',').map(Number);
const PER_STEP = Number(process.env.BENCH_PAYMENTS_PER_STEP ?? 400);
const BAR_MS = 50;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main() {
  const stack = await startStack({ LOG_LEVEL: 'error' });
  try {
    const merchant = await signUp(stack, 'Bench Merchant');
    const businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Bench Cafe', city: 'Hong Kong' } })).registerBusiness.id;
    const maxConcurrency = Math.max(...STEPS);
    const customers: Actor[] = [];
    for (let i = 0; i < maxConcurrency; i++) {
      const customer = await signUp(stack, `Bench Customer ${i}`);
      ok(await customer.run('TopUpWallet', { input: { amount: '50000.00', idempotencyKey: randomUUID() } }));
      customers.push(customer);
    }
    // Warm-up: plans cached, connections open.
    await runStep(stack, merchant, businessId, customers.slice(0, 4), 100);

    const rows: Array<{ concurrency: number; rate: number; p50: number; p95: number; p99: number }> = [];
    for (const concurrency of STEPS) {
      const { rate, latencies } = await runStep(stack, merchant, businessId, customers.slice(0, concurrency), PER_STEP);
      const sorted = latencies.sort((a, b) => a - b);
      rows.push({ concurrency, rate, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) });
      const last = rows.at(-1)!;
      console.log(`concurrency ${String(concurrency).padStart(3)}  ${last.rate.toFixed(1).padStart(7)} payments/s  p50 ${last.p50.toFixed(1)} ms  p95 ${last.p95.toFixed(1)} ms  p99 ${last.p99.toFixed(1)} ms`);
    }
    const withinBar = rows.filter((row) => row.p99 < BAR_MS).sort((a, b) => b.rate - a.rate)[0];
    console.log(`\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
    console.log('| concurrency | payments/s | p50 ms | p95 ms | p99 ms |\n| ---: | ---: | ---: | ---: | ---: |');
    for (const row of rows) console.log(`| ${row.concurrency} | ${row.rate.toFixed(1)} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.p99.toFixed(1)} |`);
    console.log(withinBar ? `\nHighest rate with p99 < ${BAR_MS} ms: ${withinBar.rate.toFixed(1)} payments/s (concurrency ${withinBar.concurrency}).` : `\nNo step kept p99 under ${BAR_MS} ms.`);
  } finally {
    await stack.stop();
  }
}

async function runStep(stack: Awaited<ReturnType<typeof startStack>>, merchant: Actor, businessId: string, customers: Actor[], total: number) {
  const requests: string[] = [];
  for (let i = 0; i < total; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, total - i) }, () => merchant.run('CreatePaymentRequest', { input: { businessId, amount: '1.00' } })),
    );
    requests.push(...batch.map((response) => ok(response).createPaymentRequest.id as string));
  }
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    customers.map(async (customer) => {
      while (next < requests.length) {
        const paymentRequestId = requests[next++]!;
        const t0 = performance.now();
        const response = await stack.graphql(op('PayPaymentRequest'), { input: { paymentRequestId, idempotencyKey: randomUUID() } }, { token: customer.token });
        latencies.push(performance.now() - t0);
        if (response.body.errors) throw new Error(`payment failed: ${JSON.stringify(response.body.errors)}`);
      }
    }),
  );
  return { rate: (requests.length / (performance.now() - started)) * 1000, latencies };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
