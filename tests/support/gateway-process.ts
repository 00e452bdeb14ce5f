import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePorts } from '@harbour/testing';
import type { RunningStack } from './stack';

export interface GatewayProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Another gateway process beside a stack's, on its own port, with the
 * stack's subgraphs, databases and Redis prefix (a second replica), and
 * `extraEnv` on top (another mode, another Redis).
 */
export async function startGatewayProcess(stack: RunningStack, extraEnv: Record<string, string> = {}): Promise<GatewayProcess> {
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '..', '..', 'gateway', 'src', 'main.ts')], {
    env: { ...process.env, ...stack.env, ...extraEnv, GATEWAY_PORT: String(port) },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  for (let attempt = 0; attempt < 150 && child.exitCode === null; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return { url: `http://127.0.0.1:${port}/graphql`, stop };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error('The extra gateway did not become ready.');
}
