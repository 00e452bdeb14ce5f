import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from './resources';
import { waitUntil } from './waiting';

/** An Azurite blob service of a test's own (the `azurite` npm package, no Docker), with its own port and folder. */
export interface TestAzurite {
  /** Azurite's development account (`devstoreaccount1`) on this instance. */
  connectionString: string;
  port: number;
  /** Kills it and deletes its folder. */
  stop(): Promise<void>;
}

/** Azurite's published development account; the same as `@harbour/blob`'s AZURITE_CONNECTION_STRING but for the port. */
const DEVELOPMENT_ACCOUNT = 'devstoreaccount1';
const DEVELOPMENT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
/** A port taken between being chosen and Azurite listening on it (another run's service) is retried on another. */
const ATTEMPTS = 3;

function azuriteConnectionString(port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEVELOPMENT_ACCOUNT};AccountKey=${DEVELOPMENT_KEY};BlobEndpoint=http://127.0.0.1:${port}/${DEVELOPMENT_ACCOUNT};`;
}

/** Whether the blob service of an Azurite answers on `port` (any answer with its Server header: even a 403 says it is up). */
async function azuriteAnswers(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/${DEVELOPMENT_ACCOUNT}?comp=list`);
    await response.arrayBuffer();
    return response.headers.get('server')?.startsWith('Azurite-Blob') ?? false;
  } catch {
    return false;
  }
}

/**
 * Starts `azurite-blob` on a free port (`freePorts`, so parallel runs never
 * meet) with a fresh temporary folder, and waits until it says it listens and
 * answers. The API version check is off: the SDK may be newer than Azurite.
 */
export async function startAzurite(options: { timeoutMs?: number } = {}): Promise<TestAzurite> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const manifest = require.resolve('azurite/package.json');
  const main = path.join(path.dirname(manifest), (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin['azurite-blob']!);
  for (let attempt = 1; ; attempt++) {
    const [port] = await freePorts(1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hbt-azurite-'));
    const args = ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', dir, '--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry'];
    const child = spawn(process.execPath, [main, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const stop = () => stopAzurite(child, dir);
    try {
      // Its own line first: another Azurite that took the port meanwhile would answer too.
      await waitUntil(
        () => {
          if (child.exitCode !== null || child.signalCode !== null) throw new AzuriteExited(output);
          return output.includes(`listens on http://127.0.0.1:${port}`);
        },
        `Azurite listens on port ${port}`,
        timeoutMs,
      );
      await waitUntil(() => azuriteAnswers(port!), `Azurite answers on port ${port}`, timeoutMs);
      return { connectionString: azuriteConnectionString(port!), port: port!, stop };
    } catch (error) {
      await stop();
      if (!(error instanceof AzuriteExited && error.message.includes('EADDRINUSE') && attempt < ATTEMPTS)) throw error;
    }
  }
}

class AzuriteExited extends Error {
  constructor(output: string) {
    super(`Azurite exited while starting:\n${output}`);
  }
}

async function stopAzurite(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
