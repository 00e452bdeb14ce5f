/**
 * The load generator of `npm run bench:gateway`, run as its own process so
 * that its work is not counted against the gateway under test: a closed loop
 * of `connections` requests in flight over keep-alive connections for
 * `seconds`, every answer checked for errors. Prints one JSON line.
 */
import { Pool } from 'undici';

interface LoadSpec {
  url: string;
  /**
   * Sent round-robin: many callers, so no two requests in flight are the same
   * one. `expected`: the answer this caller must get from this gateway, every
   * time, byte for byte.
   */
  requests: Array<{ token: string; body: string; expected: string }>;
  connections: number;
  seconds: number;
}

async function main() {
  const spec = JSON.parse(process.argv[2]!) as LoadSpec;
  const url = new URL(spec.url);
  const pool = new Pool(url.origin, { connections: spec.connections, pipelining: 1 });
  const requests = spec.requests.map(({ token, body, expected }) => ({
    body,
    expected,
    headers: {
      'content-type': 'application/json',
      'apollographql-client-name': 'harbour-bench',
      'apollographql-client-version': '1.0.0',
      authorization: `Bearer ${token}`,
    },
  }));
  let next = 0;
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const deadline = performance.now() + spec.seconds * 1000;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: spec.connections }, async () => {
      while (performance.now() < deadline) {
        const { headers, body, expected } = requests[next++ % requests.length]!;
        const t0 = performance.now();
        const response = await pool.request({ path: url.pathname, method: 'POST', headers, body });
        const text = await response.body.text();
        latencies.push(performance.now() - t0);
        // Every answer is checked, not just its status: a gateway that mixes callers' answers up fails here.
        if (response.statusCode !== 200 || text !== expected) {
          failures++;
          firstFailure ??= `${response.statusCode} ${text.slice(0, 300)}`;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  console.log(JSON.stringify({ requests: latencies.length, failures, firstFailure, rps: latencies.length / elapsed, loadCpuMs: (cpu.user + cpu.system) / 1000 / latencies.length, p50: at(50), p99: at(99) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
