import type { PaymentStore } from '@harbour/prisma/payment';
import type { ReadReplica, RecentWrites } from '@harbour/server';
import type { PaymentConfig } from './config';
import type { Directory } from './directory/directory';
import type { MembershipCache } from './directory/membership-cache';
import type { AccountDirectory } from './domain/ledger/accounts';

/** What the payment subgraph's domain functions need, made once per process. */
export interface PaymentServices {
  config: PaymentConfig;
  /** The primary: every write and every money transaction. */
  store: PaymentStore;
  /** Reporting reads (the dashboard's): a read replica when one is configured. */
  replica?: ReadReplica<PaymentStore>;
  accounts: AccountDirectory;
  /** Fresh answers from the neighbours: what actions (creating, refunding, paying) decide on. */
  directory: Directory;
  /** Callers' roles for the read paths, remembered until the business subgraph says they changed. */
  memberships: MembershipCache;
  /** Notes whom a committed write concerned (the replica's read-your-writes; nothing without one). */
  recentWrites: RecentWrites;
  /** Called after a transaction that wrote outbox events commits, so the relay publishes at once. */
  eventsWritten: () => void;
  now: () => Date;
}
