import type { PaymentStore } from '@harbour/prisma/payment';
import type { PaymentConfig } from './config';
import type { Directory } from './directory/directory';
import type { AccountDirectory } from './domain/ledger/accounts';
import type { RecentWrites } from './reports/recent-writes';

/** What the payment subgraph's domain functions need, made once per process. */
export interface PaymentServices {
  config: PaymentConfig;
  /** The primary: every write and every money transaction. */
  store: PaymentStore;
  /** Reporting reads: a read replica when one is configured, else the primary. */
  reportingStore: PaymentStore;
  accounts: AccountDirectory;
  directory: Directory;
  recentWrites: RecentWrites;
  /** Called after a transaction that wrote outbox events commits, so the relay publishes at once. */
  eventsWritten: () => void;
  now: () => Date;
}
