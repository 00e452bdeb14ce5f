import path from 'node:path';
import { freePorts } from '@harbour/testing';
import { startGatewayProcess, type GatewayProcess } from './gateway-process';
import { startServiceProcess, type ServiceProcess } from './service-process';
import type { RunningStack } from './stack';

/** A second payment replica and a second gateway in front of it, beside a stack's own (its databases, Redis and other subgraphs). */
export interface SecondReplicas {
  payment: ServiceProcess;
  gateway: GatewayProcess;
  stop(): Promise<void>;
}

export async function startSecondReplicas(stack: RunningStack): Promise<SecondReplicas> {
  const [paymentPort] = await freePorts(1);
  const payment = await startServiceProcess(path.join('subgraphs', 'payment', 'src', 'main.ts'), paymentPort!, { ...stack.env, PAYMENT_PORT: String(paymentPort) });
  const gateway = await startGatewayProcess(stack, { PAYMENT_SUBGRAPH_URL: `${payment.baseUrl}/graphql` }).catch(async (error: unknown) => {
    await payment.stop();
    throw error;
  });
  return {
    payment,
    gateway,
    async stop() {
      await gateway.stop();
      await payment.stop();
    },
  };
}
