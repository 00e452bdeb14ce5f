import { forbidden, missingScopes } from '@harbour/errors';
import type { Payment, PaymentRequest } from '@harbour/prisma/payment';
import { requireMachineAccess, requireUser } from '@harbour/server';
import type { PaymentContext } from '../context';
import type { BusinessRole } from '../directory/directory';
import { MACHINE_SCOPES } from '../partners/actor';

/** Members of the business (any role) may see its reports; answers the caller's role. */
export async function requireMember(context: PaymentContext, businessId: string): Promise<BusinessRole> {
  requireUser(context.identity);
  const role = await context.callerRoles.load(businessId);
  if (!role) throw forbidden('Only members of this business can see this.');
  return role;
}

/** merchant.md: a CASHIER sees only the requests and payments they created; OWNERs and MANAGERs see all. */
export const onlyOwnFor = (role: BusinessRole, userId: string): string | null => (role === 'CASHIER' ? userId : null);

/** A payment request is visible to the business's members (a CASHIER: only their own), and to its API keys with payment_requests:read. */
export async function requireRequestVisible(context: PaymentContext, request: PaymentRequest): Promise<void> {
  if (context.identity.kind === 'machine') {
    requireMachineAccess(context.identity, request.businessId, MACHINE_SCOPES.paymentRequest, 'paymentRequest');
    return;
  }
  const role = await requireMember(context, request.businessId);
  const { userId } = requireUser(context.identity);
  if (role === 'CASHIER' && request.createdByUserId !== userId) throw forbidden('A CASHIER sees only the payment requests they created.');
}

/**
 * A payment is visible to its payer and to the business's OWNERs and
 * MANAGERs, and to a CASHIER when it paid a request they created; to anyone
 * else it does not exist.
 */
export async function canSeePayment(context: PaymentContext, payment: Payment): Promise<boolean> {
  // A partner's key: its own business's payments, with payments:read (or payment_requests:read, for the payment of a request it may read).
  if (context.identity.kind === 'machine') {
    const { businessId, scopes } = context.identity;
    return businessId === payment.businessId && (scopes.includes(MACHINE_SCOPES.payment) || scopes.includes(MACHINE_SCOPES.paymentRequest));
  }
  if (context.identity.kind !== 'user') return false;
  const { userId } = context.identity;
  if (payment.payerUserId === userId) return true;
  const role = await context.callerRoles.load(payment.businessId);
  if (role === 'CASHIER') return payment.createdByUserId === userId;
  return role !== null;
}

/** OWNERs and MANAGERs only (money-out.md: the balance, the fee rate, payouts, statements). */
export async function requireOwnerOrManager(context: PaymentContext, businessId: string, what: string): Promise<BusinessRole> {
  const role = await requireMember(context, businessId);
  if (role !== 'OWNER' && role !== 'MANAGER') throw forbidden(`Only an OWNER or a MANAGER can see the business's ${what}.`);
  return role;
}

/** A payment's fee and net: the business's members only (whoever may see the payment and is one). */
export async function requireFeeVisible(context: PaymentContext, payment: Payment): Promise<void> {
  if (context.identity.kind === 'machine' && (await canSeePayment(context, payment))) return;
  if (context.identity.kind !== 'user' || !(await context.callerRoles.load(payment.businessId))) {
    throw forbidden('Only members of the business can see its fee.');
  }
}

/**
 * A single payment by id, for `Query.payment`: to a machine token of the
 * payment's business it needs payments:read (FORBIDDEN with requiredScopes
 * without it, FORBIDDEN for another business's payment).
 */
export function requireMachinePaymentAccess(context: PaymentContext, payment: Payment | null): void {
  if (context.identity.kind !== 'machine') return;
  if (!context.identity.scopes.includes(MACHINE_SCOPES.payment)) throw missingScopes([MACHINE_SCOPES.payment], 'payment');
  if (payment) requireMachineAccess(context.identity, payment.businessId, MACHINE_SCOPES.payment, 'payment');
}
