import type { Logger } from '@harbour/logger';
import type { GatewayMetrics } from './observability/metrics';

export interface RedisOutageOptions {
  /** The `component` label of `redisFailures` and of the log lines (rate_limit, subscriptions, ...). */
  component: string;
  logger: Logger;
  metrics?: GatewayMetrics | undefined;
  /** At most one log line per this interval while Redis stays down (default 10 s). */
  logEveryMs?: number;
}

/**
 * How a component that degrades around Redis reports it: every failure is
 * counted (`redisFailures{component}`), but logged at most once per interval
 * with the number left unlogged — a Redis outage under load would otherwise
 * write one line per request — and once more when Redis answers again.
 */
export class RedisOutage {
  private down = false;
  private unlogged = 0;
  private lastLoggedAt = 0;
  private readonly logEveryMs: number;

  constructor(private readonly options: RedisOutageOptions) {
    this.logEveryMs = options.logEveryMs ?? 10_000;
  }

  failed(error: unknown): void {
    this.options.metrics?.redisFailures.inc({ component: this.options.component });
    const now = Date.now();
    if (this.down && now - this.lastLoggedAt < this.logEveryMs) {
      this.unlogged++;
      return;
    }
    this.options.logger.warn(
      { err: error, component: this.options.component, failuresNotLogged: this.unlogged },
      `${this.options.component}: Redis unavailable, degrading`,
    );
    this.down = true;
    this.unlogged = 0;
    this.lastLoggedAt = now;
  }

  succeeded(): void {
    if (!this.down) return;
    this.options.logger.info({ component: this.options.component, failuresNotLogged: this.unlogged }, `${this.options.component}: Redis is back`);
    this.down = false;
    this.unlogged = 0;
  }
}
