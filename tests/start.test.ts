/**
 * `npm start` without a database: it must stop at once and say, in one line,
 * what to start, instead of seven services crash-looping.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from '@harbour/testing';

it('exits 1 with one line naming MySQL when it cannot be reached', async () => {
  const [deadPort] = await freePorts(1);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-start-'));
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '..', 'scripts', 'start.ts')], {
    env: { ...process.env, MYSQL_URL: `mysql://root@127.0.0.1:${deadPort}`, HARBOUR_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toBe(
    `harbour: Cannot reach MySQL at 127.0.0.1:${deadPort}: start MariaDB/MySQL (e.g. start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd) or set MYSQL_URL.`,
  );
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('exits 1 with one line naming the services whose bundles are missing when HARBOUR_SERVICE_BUNDLES is set', () => {
  const bundles = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-bundles-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-start-'));
  // One service's bundle is there; the other six are not.
  fs.mkdirSync(path.join(bundles, 'user'));
  fs.writeFileSync(path.join(bundles, 'user', 'main.js'), '');
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '..', 'scripts', 'start.ts')], {
    env: { ...process.env, HARBOUR_SERVICE_BUNDLES: bundles, HARBOUR_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status).toBe(1);
  expect(result.stderr.trim().split('\n')).toEqual([
    `harbour: HARBOUR_SERVICE_BUNDLES=${bundles}: no business/main.js, payment/main.js, timeline/main.js, social/main.js, notification/main.js, gateway/main.js, payment/statements.js, notification/webhooks.js; build each with npm run build:service -- <service> --out ${bundles}/<service>.`,
  ]);
  // It stopped before touching anything: no keys were made.
  expect(fs.readdirSync(dataDir)).toEqual([]);
  fs.rmSync(bundles, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});
