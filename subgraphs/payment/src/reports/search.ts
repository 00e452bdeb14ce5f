/**
 * Finding a business's payments and requests (merchant.md, "Finding
 * payments"): every filter of `Business.payments`, its `totalCount`, and the
 * counter's list of requests.
 *
 * - Filters combine with AND; `from`/`to` is the half-open window on
 *   `completed_at`; `reference` is a case-insensitive prefix (the column's
 *   utf8mb4_unicode_ci collation compares without case, and a prefix LIKE
 *   reads the (business_id, reference) index).
 * - Order: newest first by (completed_at, id), paged by keyset: a cursor is a
 *   position in that order, not an offset, so payments arriving meanwhile
 *   never repeat or skip a row of the pages that follow.
 * - Each filter has an index leading with business_id (migration
 *   20261217000000_shop); tests/payments-search.e2e.test.ts shows the plans.
 * - A CASHIER sees only what they created: their id is ANDed in by the
 *   caller (resolvers), whatever the filter says.
 */
import { badUserInput } from '@harbour/errors';
import { Prisma, type Payment, type PaymentRequest, type PaymentRequestStatus, type PaymentSource, type PaymentStatus, type PaymentStore } from '@harbour/prisma/payment';
import { checkReference } from '../domain/validation';
import { checkFirst, decodeCursor, encodeCursor, newestFirstPage, NEWEST_FIRST, olderThan, type Page } from './connection';

const REQUEST_STATUSES = new Set<string>(['PENDING', 'PAID', 'EXPIRED', 'CANCELLED']);

export interface PaymentsFilter {
  from?: Date | null;
  to?: Date | null;
  status?: PaymentStatus[] | null;
  source?: PaymentSource[] | null;
  minAmount?: bigint | null;
  maxAmount?: bigint | null;
  createdById?: string | null;
  reference?: string | null;
}

/** A LIKE pattern matching values that start with `text` exactly (its own % and _ escaped). */
const prefixPattern = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The WHERE clause of a business's payments under `filter` (and, for a page, after `cursor`). */
export function paymentsWhere(businessId: string, filter: PaymentsFilter, cursor?: { at: Date; id: string } | null): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`business_id = ${businessId}`];
  if (filter.from && filter.to && filter.from >= filter.to) throw badUserInput('`from` must be before `to`.', 'filter.from');
  if (filter.minAmount != null && filter.maxAmount != null && filter.minAmount > filter.maxAmount) {
    throw badUserInput('`minAmount` must not be above `maxAmount`.', 'filter.minAmount');
  }
  if (filter.from) conditions.push(Prisma.sql`completed_at >= ${filter.from}`);
  if (filter.to) conditions.push(Prisma.sql`completed_at < ${filter.to}`);
  if (filter.status) {
    if (filter.status.length === 0) return Prisma.sql`FALSE`;
    conditions.push(Prisma.sql`status IN (${Prisma.join(filter.status)})`);
  }
  if (filter.source) {
    if (filter.source.length === 0) return Prisma.sql`FALSE`;
    conditions.push(Prisma.sql`source IN (${Prisma.join(filter.source)})`);
  }
  if (filter.minAmount != null) conditions.push(Prisma.sql`amount >= ${filter.minAmount}`);
  if (filter.maxAmount != null) conditions.push(Prisma.sql`amount <= ${filter.maxAmount}`);
  if (filter.createdById != null) conditions.push(Prisma.sql`created_by_user_id = ${filter.createdById}`);
  if (filter.reference != null) {
    const reference = checkReference(filter.reference);
    if (reference === null) throw badUserInput('`reference` must be 1 to 25 characters.', 'filter.reference');
    conditions.push(Prisma.sql`reference LIKE ${prefixPattern(reference)}`);
  }
  if (cursor) conditions.push(Prisma.sql`(completed_at < ${cursor.at} OR (completed_at = ${cursor.at} AND id < ${cursor.id}))`);
  return Prisma.join(conditions, ' AND ');
}

/** The statements of one page, exported so the plan test EXPLAINs exactly what runs. */
export function paymentsPageSql(businessId: string, filter: PaymentsFilter, cursor: { at: Date; id: string } | null, take: number): Prisma.Sql {
  return Prisma.sql`SELECT id FROM payments WHERE ${paymentsWhere(businessId, filter, cursor)} ORDER BY completed_at DESC, id DESC LIMIT ${take}`;
}

export function paymentsCountSql(businessId: string, filter: PaymentsFilter): Prisma.Sql {
  return Prisma.sql`SELECT COUNT(*) AS count FROM payments WHERE ${paymentsWhere(businessId, filter)}`;
}

const isUnfiltered = (filter: PaymentsFilter) => Object.values(filter).every((value) => value === null || value === undefined);

/**
 * How many payments match: with no filter, the business's kept count (the
 * sum of its business_payment_counts shards, one added in each payment's
 * transaction); otherwise COUNT(*) over the filter's index.
 */
export async function countPayments(store: PaymentStore, businessId: string, filter: PaymentsFilter): Promise<number> {
  const [row] = isUnfiltered(filter)
    ? await store.$queryRaw<Array<{ count: unknown }>>`SELECT COALESCE(SUM(payments), 0) AS count FROM business_payment_counts WHERE business_id = ${businessId}`
    : await store.$queryRaw<Array<{ count: unknown }>>(paymentsCountSql(businessId, filter));
  return Number(String(row?.count ?? 0));
}


export interface PaymentSearch extends Page<Payment> {
  /** Counts every match (not just the page): asked only when the client selects it. */
  totalCount: () => Promise<number>;
}

/**
 * One page of a business's payments matching `filter`, newest first. The
 * page's ids come from the index alone; the rows are then read by primary
 * key (one statement each).
 */
export async function searchPayments(
  store: PaymentStore,
  businessId: string,
  args: { first?: number | null; after?: string | null; filter?: PaymentsFilter | null },
): Promise<PaymentSearch> {
  const limit = checkFirst(args.first);
  const cursor = args.after ? decodeCursor(args.after) : null;
  const filter = args.filter ?? {};
  const ids = await store.$queryRaw<Array<{ id: string }>>(paymentsPageSql(businessId, filter, cursor, limit + 1));
  const pageIds = ids.slice(0, limit).map((row) => row.id);
  const rows = pageIds.length ? await store.payment.findMany({ where: { id: { in: pageIds } } }) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const edges = pageIds.flatMap((id) => {
    const node = byId.get(id);
    return node ? [{ cursor: encodeCursor(node.completedAt, node.id), node }] : [];
  });
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: { hasNextPage: ids.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: () => (counted ??= countPayments(store, businessId, filter)),
  };
}

/**
 * A business's payment requests, newest first by (created_at, id), in the
 * statuses asked for as readers see them: a PENDING row past its expiry is
 * EXPIRED (not yet swept, but no longer payable).
 */
export async function listPaymentRequests(
  store: PaymentStore,
  businessId: string,
  args: { first?: number | null; after?: string | null; status?: string[] | null; createdById?: string | null },
  now: Date,
): Promise<Page<PaymentRequest>> {
  const limit = checkFirst(args.first);
  const older = olderThan(args.after);
  // The enum is shared with links (see the schema): ACTIVE, INACTIVE and COMPLETED match no request.
  const statuses = args.status ? [...new Set(args.status)].filter((status) => REQUEST_STATUSES.has(status)) : null;
  const statusWhere: Prisma.PaymentRequestWhereInput[] = (statuses ?? []).map((status) => {
    switch (status) {
      case 'PENDING':
        return { status: 'PENDING', expiresAt: { gt: now } };
      case 'EXPIRED':
        return { OR: [{ status: 'EXPIRED' }, { status: 'PENDING', expiresAt: { lte: now } }] };
      default:
        return { status: status as PaymentRequestStatus };
    }
  });
  if (statuses && statuses.length === 0) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const rows = await store.paymentRequest.findMany({
    where: {
      businessId,
      ...(args.createdById ? { createdByUserId: args.createdById } : {}),
      AND: [
        ...(statuses ? [{ OR: statusWhere }] : []),
        ...(older ? [older] : []),
      ],
    },
    orderBy: NEWEST_FIRST,
    take: limit + 1,
  });
  return newestFirstPage(rows, limit);
}
