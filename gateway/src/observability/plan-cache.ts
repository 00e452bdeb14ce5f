import type { QueryPlan } from '@apollo/query-planner';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { GatewayMetrics } from './metrics';

/** As large as @apollo/gateway's own default plan store. */
const DEFAULT_MAX_BYTES = 30 * 2 ** 20;

/**
 * The gateway's query plan store (`queryPlannerConfig.cache`), an LRU by
 * approximate size as @apollo/gateway's default one is, that counts each
 * lookup: a hit is an operation planned before, a miss one planned now.
 * The gateway looks a plan up exactly once per operation it executes.
 */
export class CountingPlanCache extends InMemoryLRUCache<QueryPlan> {
  constructor(
    private readonly metrics: GatewayMetrics,
    maxBytes = DEFAULT_MAX_BYTES,
  ) {
    super({ maxSize: maxBytes, sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan), 'utf8') });
  }

  override async get(key: string): Promise<QueryPlan | undefined> {
    const plan = await super.get(key);
    this.metrics.queryPlanCache.inc({ result: plan ? 'hit' : 'miss' });
    return plan;
  }
}
