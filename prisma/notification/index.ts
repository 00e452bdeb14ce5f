import { mariadbAdapter, type PoolOptions } from '../src/adapter';
import { PrismaClient } from './generated/client';

export * from './generated/client';

/** A client of the notification store at `databaseUrl`. The caller owns it and calls `$disconnect()`. */
export function createNotificationStore(databaseUrl: string, options: PoolOptions = {}): PrismaClient {
  return new PrismaClient({ adapter: mariadbAdapter(databaseUrl, options) });
}

export type NotificationStore = PrismaClient;
