import { forbidden } from '@harbour/errors';
import type { Payment } from '@harbour/prisma/payment';
import { requireUser } from '@harbour/server';
import type { PaymentContext } from '../context';

/** Members of the business (any role) may see its payments and reports. */
export async function requireMember(context: PaymentContext, businessId: string): Promise<void> {
  requireUser(context.identity);
  if (!(await context.callerRoles.load(businessId))) throw forbidden('Only members of this business can see this.');
}

/** A payment is visible to its payer and to the business's members; to anyone else it does not exist. */
export async function canSeePayment(context: PaymentContext, payment: Payment): Promise<boolean> {
  if (context.identity.kind !== 'user') return false;
  if (payment.payerUserId === context.identity.userId) return true;
  return (await context.callerRoles.load(payment.businessId)) !== null;
}
