import path from 'node:path';
import { freePorts } from '@harbour/testing';
import { startServiceProcess } from './service-process';
import type { RunningStack } from './stack';

export interface GatewayProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Another gateway process beside a stack's, on its own port, with the
 * stack's subgraphs, databases and Redis prefix (a second replica), and
 * `extraEnv` on top (another mode, another Redis, another subgraph URL).
 */
export async function startGatewayProcess(stack: RunningStack, extraEnv: Record<string, string> = {}): Promise<GatewayProcess> {
  const [port] = await freePorts(1);
  const gateway = await startServiceProcess(path.join('gateway', 'src', 'main.ts'), port!, { ...stack.env, ...extraEnv, GATEWAY_PORT: String(port) });
  return { url: `${gateway.baseUrl}/graphql`, stop: () => gateway.stop() };
}
