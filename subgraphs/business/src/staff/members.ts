/**
 * Staff: adding, re-roling, removing and listing a business's members
 * (merchant.md, Roles). Every change runs in one transaction that first locks
 * the business's row, so concurrent changes of one business are serialised:
 * two OWNERs demoting each other cannot both succeed and leave none. Each
 * change writes a `business.membership_changed` event to the outbox in the
 * same transaction; the payment subgraph's role cache on every replica is
 * evicted by it (and every action there asks this subgraph fresh anyway), the
 * notification subgraph tells an added member.
 */
import { alreadyMember, badUserInput, forbidden, lastOwner, notFound } from '@harbour/errors';
import { businessMembershipChanged, createEvent, outboxRow } from '@harbour/events';
import type { Business, BusinessRole, BusinessStore, Membership, Prisma } from '@harbour/prisma/business';
import { isId, newId } from '@harbour/server';
import { mayChangeMembership, seesAllMembers } from './permissions';
import type { UserDirectory } from './users';

type Tx = Prisma.TransactionClient;

const ROLES: readonly BusinessRole[] = ['OWNER', 'MANAGER', 'CASHIER'];

function parseRole(role: string): BusinessRole {
  if (!(ROLES as readonly string[]).includes(role)) throw badUserInput('role must be OWNER, MANAGER or CASHIER.', 'role');
  return role as BusinessRole;
}

/**
 * The business, locked for this transaction (FOR UPDATE: membership changes
 * of one business run one at a time). It must be the transaction's first
 * read: under InnoDB's REPEATABLE READ the plain reads that follow see the
 * snapshot taken at the first plain read, so one made before the lock would
 * not see the change that the lock waited for (two OWNERs demoting each other
 * at once both succeeded that way: tests/staff.e2e.test.ts).
 */
async function lockBusiness(tx: Tx, businessId: string): Promise<Business | null> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM businesses WHERE id = ${businessId} FOR UPDATE`;
  if (rows.length === 0) return null;
  return tx.business.findUnique({ where: { id: businessId } });
}

const roleOf = async (tx: Tx | BusinessStore, businessId: string, userId: string) =>
  (await tx.membership.findUnique({ where: { businessId_userId: { businessId, userId } }, select: { role: true } }))?.role ?? null;

const owners = (tx: Tx, businessId: string) => tx.membership.count({ where: { businessId, role: 'OWNER' } });

async function writeChange(
  tx: Tx,
  business: Business,
  change: { userId: string; change: 'ADDED' | 'ROLE_CHANGED' | 'REMOVED'; role: BusinessRole | null; previousRole: BusinessRole | null; by: string; at: Date },
): Promise<void> {
  const event = createEvent(businessMembershipChanged, {
    source: 'business',
    aggregateType: 'business',
    aggregateId: business.id,
    payload: {
      businessId: business.id,
      businessName: business.name,
      userId: change.userId,
      change: change.change,
      role: change.role,
      previousRole: change.previousRole,
      changedByUserId: change.by,
      changedAt: change.at.toISOString(),
    },
    occurredAt: change.at,
  });
  const row = outboxRow(event);
  await tx.outboxEvent.create({ data: { ...row, payload: row.payload as Prisma.InputJsonObject } });
}

export interface AddMemberInput {
  businessId: string;
  phone: string;
  role: string;
}

/** Why `actor` may not add a member of that role. */
const mayNotAdd = (actor: BusinessRole | null) =>
  forbidden(actor === 'MANAGER' ? 'A MANAGER may add only CASHIERs.' : 'Only OWNERs and MANAGERs of this business can add members.');

/** Adds the user who signed up with `input.phone`; NOT_FOUND (business or user), FORBIDDEN, ALREADY_MEMBER. */
export async function addMember(store: BusinessStore, users: UserDirectory, actorId: string, input: AddMemberInput, requestId?: string): Promise<Membership> {
  const role = parseRole(input.role);
  // Only someone who may add this role learns whether the number has an account (checked again under the lock).
  const asked = await roleOf(store, input.businessId, actorId);
  if (!mayChangeMembership(asked, null, role)) {
    if (!asked && !(await store.business.findUnique({ where: { id: input.businessId }, select: { id: true } }))) throw notFound('Business');
    throw mayNotAdd(asked);
  }
  // Asked before the transaction: no lock is held across a call to another service.
  const user = await users.userByPhone(input.phone, requestId);
  return store.$transaction(async (tx) => {
    const business = await lockBusiness(tx, input.businessId);
    if (!business) throw notFound('Business');
    const actor = await roleOf(tx, business.id, actorId);
    if (!mayChangeMembership(actor, null, role)) throw mayNotAdd(actor);
    if (await roleOf(tx, business.id, user.id)) throw alreadyMember();
    const at = new Date();
    const membership = await tx.membership.create({ data: { id: newId('membership'), businessId: business.id, userId: user.id, role, createdAt: at } });
    await writeChange(tx, business, { userId: user.id, change: 'ADDED', role, previousRole: null, by: actorId, at });
    return membership;
  });
}

/** The membership by its id, or NOT_FOUND (also for a malformed id). */
async function membershipById(store: BusinessStore, membershipId: string): Promise<Membership> {
  const membership = isId('membership', membershipId) ? await store.membership.findUnique({ where: { id: membershipId } }) : null;
  if (!membership) throw notFound('Membership');
  return membership;
}

/**
 * Gives a membership another role; the same role answers it as it is.
 * FORBIDDEN per the table; LAST_OWNER when it demotes the last OWNER.
 * A caller who is not a member learns nothing about the membership (NOT_FOUND).
 */
export async function changeMemberRole(store: BusinessStore, actorId: string, input: { membershipId: string; role: string }): Promise<Membership> {
  const role = parseRole(input.role);
  // Found before the transaction: the lock must be its first read (below).
  const found = await membershipById(store, input.membershipId);
  return store.$transaction(async (tx) => {
    const business = await lockBusiness(tx, found.businessId);
    // Read again under the lock: it may have changed or gone meanwhile.
    const membership = await tx.membership.findUnique({ where: { id: found.id } });
    const actor = await roleOf(tx, found.businessId, actorId);
    if (!business || !membership || !actor) throw notFound('Membership');
    if (!mayChangeMembership(actor, membership.role, role)) {
      throw forbidden(actor === 'MANAGER' ? 'A MANAGER may manage only CASHIERs, and cannot promote anyone.' : 'Only OWNERs and MANAGERs of this business can change roles.');
    }
    if (membership.role === role) return membership;
    if (membership.role === 'OWNER' && (await owners(tx, business.id)) === 1) throw lastOwner();
    const updated = await tx.membership.update({ where: { id: membership.id }, data: { role } });
    await writeChange(tx, business, { userId: membership.userId, change: 'ROLE_CHANGED', role, previousRole: membership.role, by: actorId, at: new Date() });
    return updated;
  });
}

/** Removes a membership (anyone may remove their own); answers it as it was. */
export async function removeMember(store: BusinessStore, actorId: string, membershipId: string): Promise<Membership> {
  const found = await membershipById(store, membershipId);
  return store.$transaction(async (tx) => {
    const business = await lockBusiness(tx, found.businessId);
    const membership = await tx.membership.findUnique({ where: { id: found.id } });
    const actor = await roleOf(tx, found.businessId, actorId);
    if (!business || !membership || !actor) throw notFound('Membership');
    const leaving = membership.userId === actorId;
    if (!leaving && !mayChangeMembership(actor, membership.role, null)) {
      throw forbidden(actor === 'MANAGER' ? 'A MANAGER may remove only CASHIERs.' : 'Only OWNERs and MANAGERs of this business can remove members.');
    }
    if (membership.role === 'OWNER' && (await owners(tx, business.id)) === 1) throw lastOwner();
    await tx.membership.delete({ where: { id: membership.id } });
    await writeChange(tx, business, { userId: membership.userId, change: 'REMOVED', role: null, previousRole: membership.role, by: actorId, at: new Date() });
    return membership;
  });
}

/** Cursors are opaque to clients: base64url of (created_at, id), the connection's order. */
const encodeCursor = (membership: Membership) => Buffer.from(`${membership.createdAt.toISOString()}|${membership.id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [iso = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso);
  if (rest.length || !isId('membership', id) || Number.isNaN(at.getTime()) || at.toISOString() !== iso) throw badUserInput('The cursor is not valid.', 'after');
  return { at, id };
}

export interface MembersPage {
  edges: Array<{ cursor: string; node: Membership }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * A page of the business's members, oldest first by (created_at, id): all of
 * them for OWNERs and MANAGERs, only the caller for a CASHIER, FORBIDDEN for
 * anyone else.
 */
export async function listMembers(store: BusinessStore, viewer: Membership | null, businessId: string, args: { first: number; after?: string | null }): Promise<MembersPage> {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > 100) throw badUserInput('first must be 1 to 100.', 'first');
  if (!viewer) throw forbidden('Only members of this business can see its members.');
  const after = args.after ? decodeCursor(args.after) : null;
  const rows = await store.membership.findMany({
    where: {
      businessId,
      ...(seesAllMembers(viewer.role) ? {} : { userId: viewer.userId }),
      ...(after ? { OR: [{ createdAt: { gt: after.at } }, { createdAt: after.at, id: { gt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: args.first + 1,
  });
  const page = rows.slice(0, args.first);
  const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.at(-1)?.cursor ?? null } };
}

