import { ConfigError } from '@harbour/config';
import type { Logger } from '@harbour/logger';
import { EventHubsAnalyticsFeed } from './event-hubs';

/**
 * The analytics feed configured by EVENT_HUBS_CONNECTION_STRING (and
 * EVENT_HUBS_NAME when the string has no EntityPath), or undefined when it
 * is not set: the feed is off and analytics_published_at stays null.
 */
export function analyticsFeedFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: { logger?: Logger; concurrency?: number } = {},
): EventHubsAnalyticsFeed | undefined {
  const connectionString = env.EVENT_HUBS_CONNECTION_STRING?.trim();
  if (!connectionString) return undefined;
  const eventHubName = env.EVENT_HUBS_NAME?.trim() || undefined;
  const hasEntityPath = /(^|;)\s*EntityPath\s*=\s*[^;\s]/i.test(connectionString);
  if (!hasEntityPath && !eventHubName) {
    throw new ConfigError('EVENT_HUBS_NAME is required when EVENT_HUBS_CONNECTION_STRING has no EntityPath.');
  }
  try {
    return new EventHubsAnalyticsFeed({ ...options, connectionString, eventHubName: hasEntityPath ? undefined : eventHubName });
  } catch (error) {
    // The SDK's message may quote the string; keep the key out of logs.
    throw new ConfigError(`EVENT_HUBS_CONNECTION_STRING is malformed${error instanceof Error ? ` (${error.name})` : ''}.`);
  }
}
