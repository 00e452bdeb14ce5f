/**
 * `npm run bench:ledger`: the ledger alone under "many customers paying one
 * busy business at once", against the real MariaDB. Each worker is a customer
 * with its own wallet; every transaction debits that wallet (guarded) and
 * credits the one business, exactly as a payment's money movement does
 * (payment-request and outbox rows aside: one round trip stands in for the
 * outbox write). Runs with the business's balance on 1 shard and on 16;
 * `BENCH_DB_LATENCY_MS` adds latency to every database round trip, as a
 * managed database across a network does.
 */
import os from 'node:os';
import { migrate } from '@harbour/prisma';
import { createPaymentStore } from '@harbour/prisma/payment';
import { AccountDirectory } from '../subgraphs/payment/src/domain/ledger/accounts';
import { anyShard, debitIfCovered, postEntry } from '../subgraphs/payment/src/domain/ledger/journal';
import { moneyTransaction } from '../subgraphs/payment/src/domain/ledger/transaction';
import { dropDatabases, testDatabaseUrls, uniqueRunId } from '@harbour/testing';
import { startLatencyProxy } from './latency-proxy';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** Added to every round trip to the database (a managed MySQL across a network); 0 for loopback. */
const LATENCY_MS = Number(process.env.BENCH_DB_LATENCY_MS ?? 0);
const TOTAL = Number(process.env.BENCH_TRANSACTIONS ?? 3000);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function run(shards: number) {
  const url = testDatabaseUrls(uniqueRunId()).payment;
  await migrate('payment', url, { logger: { info: () => undefined, warn: () => undefined } });
  const database = new URL(url);
  const proxy = LATENCY_MS > 0 ? await startLatencyProxy({ host: database.hostname, port: Number(database.port || 3306) }, LATENCY_MS) : undefined;
  if (proxy) {
    database.hostname = '127.0.0.1';
    database.port = String(proxy.port);
  }
  const store = createPaymentStore(database.toString(), { connectionLimit: CONCURRENCY, sessionSql: ['SET SESSION innodb_lock_wait_timeout = 30'] });
  try {
    const accounts = new AccountDirectory(store, { business: shards, system: 16 });
    const business = await accounts.business('biz_bench', 'HKD');
    const funding = await accounts.externalFunding('HKD');
    const wallets = [];
    for (let i = 0; i < CONCURRENCY; i++) {
      const wallet = await accounts.wallet(`usr_bench_${i}`, 'HKD');
      await moneyTransaction(store, (tx) =>
        postEntry(tx, { kind: 'TOP_UP', referenceId: wallet.id, currency: 'HKD', createdAt: new Date(), lines: [
          { accountId: funding.id, shard: anyShard(funding.shardCount), amount: -1_000_000n },
          { accountId: wallet.id, shard: 0, amount: 1_000_000n },
        ] }),
      );
      wallets.push(wallet);
    }
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      wallets.map(async (wallet) => {
        while (next++ < TOTAL) {
          const t0 = performance.now();
          await moneyTransaction(store, async (tx) => {
            const now = new Date();
            if (!(await debitIfCovered(tx, wallet.id, 100n, now))) throw new Error('insufficient funds');
            await postEntry(tx, { kind: 'PAYMENT', referenceId: 'bench', currency: 'HKD', createdAt: now, lines: [
              { accountId: wallet.id, shard: 0, amount: -100n, applied: true },
              { accountId: business.id, shard: anyShard(business.shardCount), amount: 100n },
            ] });
            // One more round trip while the credit's row is locked, where a payment writes its outbox row.
            await tx.$executeRaw`SELECT 1`;
          });
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const sorted = latencies.sort((a, b) => a - b);
    return { shards, rate: latencies.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  } finally {
    await store.$disconnect();
    await proxy?.close();
    await dropDatabases([url]);
  }
}

async function main() {
  const rows = [];
  for (const shards of [1, 16]) rows.push(await run(shards));
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
      `${CONCURRENCY} customers, one business, ${TOTAL} payments, +${LATENCY_MS} ms per database round trip`,
  );
  console.log('| business shards | payments/s | p50 ms | p99 ms |\n| ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(`| ${row.shards} | ${row.rate.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
