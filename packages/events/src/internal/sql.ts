/**
 * The slice of a Prisma client this package uses. Every store's generated
 * client fits, so the relay and the deduplication work with any of them
 * through raw SQL (which runs on MariaDB and MySQL 8 alike).
 */

export interface SqlExecutor {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

export interface TransactionOptions {
  maxWait?: number;
  timeout?: number;
  isolationLevel?: 'ReadUncommitted' | 'ReadCommitted' | 'RepeatableRead' | 'Serializable';
}

/** A client that runs a callback in an interactive transaction, handing it `Tx`. */
export interface TransactionalClient<Tx extends SqlExecutor = SqlExecutor> extends SqlExecutor {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: TransactionOptions): PromiseLike<R>;
}
