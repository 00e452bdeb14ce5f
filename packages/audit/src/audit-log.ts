/**
 * The staff audit log's interface (console.md, "The audit log"). Every staff
 * read and action records one entry before its answer leaves; a field whose
 * entry cannot be written fails (the caller lets `record` throw).
 */

/** What a staff field records. */
export interface AuditEntryInput {
  /** The staff member (a user id). */
  actorId: string;
  /** The operation type and field, e.g. `Query.staffUser`, `Mutation.freezeWallet`. */
  action: string;
  /** The user, business, payment, ... the read or action is about; null for a search or the platform's statistics. */
  subjectId: string | null;
  /** Why (required for actions: 10-500 characters, checked by the caller); null for reads. */
  reason: string | null;
  /** The request's id (x-request-id), to find the request's log lines. */
  requestId: string;
  /** Anything else worth keeping, e.g. a search's query or a fee rate's old and new values. Small, JSON. */
  details?: Record<string, unknown>;
}

/** One row of the log as stored: the entry, its place in the chain and its hashes. */
export interface AuditRow extends Required<Omit<AuditEntryInput, 'details'>> {
  id: string;
  /** 1, 2, 3, ... without gaps: the chain's order. */
  seq: number;
  at: Date;
  details: Record<string, unknown> | null;
  /** The previous row's hash (64 zeros for the first row). */
  prevHash: string;
  /** SHA-256 over prevHash and this row's content (hex). */
  hash: string;
}

export interface AuditPage {
  rows: AuditRow[];
  hasNextPage: boolean;
  /** Opaque cursor of the last row, for `after`. */
  endCursor: string | null;
}

export interface AuditLog {
  /** Appends one entry (hash-chained); throws when it cannot be written, and then the staff field must fail. */
  record(entry: AuditEntryInput): Promise<AuditRow>;
  /** Newest first; `after` is an `endCursor` from an earlier page; filters by actor and/or subject. */
  page(args: { first: number; after?: string | null; actorId?: string | null; subjectId?: string | null }): Promise<AuditPage>;
  close(): Promise<void>;
}
