import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ServiceProcess {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  process: ChildProcess;
  /** What it wrote, for a failing test's message. */
  output: () => string;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * One more process of a service beside a running stack (a second gateway or
 * subgraph replica), started from its own entry point the way `npm start`
 * starts it, on `port`; resolves once its `/health/ready` answers 200.
 */
export async function startServiceProcess(entry: string, port: number, env: Record<string, string>): Promise<ServiceProcess> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    baseUrl,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).ok) return service;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await service.stop();
  throw new Error(`${entry} did not become ready on port ${port}:\n${output}`);
}
