/**
 * How the statements worker's Node runs, wherever it runs: the Kubernetes
 * Deployment's command (k8s/base/payment/statements-deployment.yaml, checked
 * by tests/k8s-manifests.test.ts), `npm start` and `npm run bench:statements`.
 * Measured by the bench on a 1,000,000-movement statement (README):
 *
 * - without a cap V8 lets the heap fill with garbage up to its default limit
 *   (gigabytes on a large node) and the worker peaked at 556 MiB; what a
 *   statement keeps alive is 60 to 100 MiB, so 128 MiB of old space (and
 *   small semi-spaces) makes it collect early, at a few per cent of time;
 * - glibc's malloc makes an arena per thread (the driver's, zlib's): two
 *   arenas save about 30 MiB;
 * - `--enable-source-maps` holds the bundle's 23 MB source map in memory
 *   (idle 258 MiB against 143 MiB), so the worker runs without it: its stack
 *   traces name the bundle's lines, not the sources'.
 */
export const STATEMENT_WORKER_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'] as const;
export const STATEMENT_WORKER_ENV = { MALLOC_ARENA_MAX: '2' } as const;
