import type { Payout as StoredPayout, Payment as StoredPayment, PaymentLink as StoredLink, PaymentRequest as StoredRequest, Refund as StoredRefund, Transfer as StoredTransfer } from '@harbour/prisma/payment';
import { forbidden } from '@harbour/errors';
import { businessKey, isSelf, readStoreFor, requireMachineAccess, requireSelf, requireUser } from '@harbour/server';
import type { PaymentContext } from '../context';
import { effectiveStatus } from '../domain/payment-request-status';
import { money } from '../money';
import { qrPayloadOf, qrSvgOf } from '../domain/qr';
import { listPaymentLinks, noteExpiry } from '../links/links';
import { effectiveLinkStatus, linkQrPayload, linkQrSvg, linkUrl, mayManageLinks, mayNotManageLinks } from '../links/rules';
import { salesSummary } from '../reports/sales';
import { listPaymentRequests, searchPayments, type PaymentsFilter } from '../reports/search';
import { walletIdOf, walletOwnerOf } from '../wallet-id';
import { MACHINE_SCOPES } from '../partners/actor';
import { canSeePayment, onlyOwnFor, requireFeeVisible, requireMember, requireOwnerOrManager } from './access';
import { businessBalance } from '../payouts/balance';
import { listPayouts } from '../payouts/list-payouts';
import { publicPayoutAccount } from '../payouts/payout-account';
import { bankName } from '../payouts/bank-codes';
import { dayText } from '../payouts/rules';
import { feeRateOf } from '../fees/fee-rates';

const userRef = (id: string) => ({ __typename: 'User', id });
const businessRef = (id: string) => ({ __typename: 'Business', id });

/** A wallet as resolvers pass it: its owner, and the balance a top-up answered with, if any. */
export interface WalletParent {
  id: string;
  ownerId: string;
  balanceMinor?: bigint;
}

export const User = {
  __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
  wallet(user: { id: string }, _args: unknown, context: PaymentContext): WalletParent {
    requireSelf(context.identity, user.id);
    return { id: walletIdOf(user.id), ownerId: user.id };
  },
};

export const Wallet = {
  __resolveReference(reference: { id: string }, context: PaymentContext): WalletParent | null {
    const ownerId = walletOwnerOf(reference.id);
    // Someone else's wallet does not exist, as far as the caller can tell.
    return ownerId && isSelf(context.identity, ownerId) ? { id: reference.id, ownerId } : null;
  },
  async balance(wallet: WalletParent, _args: unknown, context: PaymentContext) {
    return money(wallet.balanceMinor ?? (await context.walletBalances.load(wallet.ownerId)), 'HKD');
  },
};

/** The replica for a business's reports, the primary while it has just been written to (read-your-writes). */
const reportStore = (context: PaymentContext, businessId: string) => readStoreFor(context.services.store, context.services.replica, businessKey(businessId));

export const Business = {
  async salesSummary(business: { id: string }, args: { from: Date; to: Date }, context: PaymentContext) {
    if (!mayManageLinks(await requireMember(context, business.id))) throw forbidden('Only an OWNER or a MANAGER can see the sales summary.');
    const summary = await salesSummary(await reportStore(context, business.id), business.id, args.from, args.to);
    return {
      count: summary.count,
      gross: money(summary.grossMinor, summary.currency),
      refunded: money(summary.refundedMinor, summary.currency),
      net: money(summary.netMinor, summary.currency),
    };
  },
  async payments(business: { id: string }, args: { first?: number | null; after?: string | null; filter?: PaymentsFilter | null }, context: PaymentContext) {
    let own: string | null = null;
    // A partner's key sees all its business's payments, like an OWNER (partners.md: payments:read).
    if (context.identity.kind === 'machine') requireMachineAccess(context.identity, business.id, MACHINE_SCOPES['Business.payments'], 'Business.payments');
    else own = onlyOwnFor(await requireMember(context, business.id), requireUser(context.identity).userId);
    // A CASHIER's own payments only, ANDed with whatever the filter asks: another member's are none of theirs.
    if (own && args.filter?.createdById && args.filter.createdById !== own) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
    const filter: PaymentsFilter = own ? { ...args.filter, createdById: own } : { ...args.filter };
    const page = await searchPayments(await reportStore(context, business.id), business.id, { ...args, filter });
    for (const edge of page.edges) context.payments.prime(edge.node.id, edge.node);
    return page;
  },
  async paymentRequests(business: { id: string }, args: { first?: number | null; after?: string | null; status?: StoredRequest['status'][] | null }, context: PaymentContext) {
    const role = await requireMember(context, business.id);
    const createdById = onlyOwnFor(role, requireUser(context.identity).userId);
    const page = await listPaymentRequests(await reportStore(context, business.id), business.id, { ...args, createdById }, context.services.now());
    for (const edge of page.edges) context.paymentRequests.prime(edge.node.id, edge.node);
    return page;
  },
  async balance(business: { id: string }, _args: unknown, context: PaymentContext) {
    await requireOwnerOrManager(context, business.id, 'balance');
    const balance = await businessBalance(await reportStore(context, business.id), business.id, 'HKD');
    return { available: money(balance.available, 'HKD'), inTransit: money(balance.inTransit, 'HKD') };
  },
  async feeRateBps(business: { id: string }, _args: unknown, context: PaymentContext) {
    await requireOwnerOrManager(context, business.id, 'fee rate');
    return feeRateOf(await reportStore(context, business.id), business.id, context.services.config.merchantFeeBps);
  },
  async payoutAccount(business: { id: string }, _args: unknown, context: PaymentContext) {
    await requireOwnerOrManager(context, business.id, 'payout account');
    const row = await (await reportStore(context, business.id)).payoutAccount.findUnique({ where: { businessId: business.id } });
    return row ? publicPayoutAccount(row) : null;
  },
  async payouts(business: { id: string }, args: { first?: number | null; after?: string | null }, context: PaymentContext) {
    await requireOwnerOrManager(context, business.id, 'payouts');
    return listPayouts(await reportStore(context, business.id), business.id, args.first, args.after);
  },
  async paymentLinks(business: { id: string }, args: { first?: number | null; after?: string | null }, context: PaymentContext) {
    if (!mayManageLinks(await requireMember(context, business.id))) throw mayNotManageLinks();
    const page = await listPaymentLinks(await reportStore(context, business.id), business.id, args.first, args.after);
    for (const edge of page.edges) context.paymentLinks.prime(edge.node.id, edge.node);
    return page;
  },
};

export const PaymentRequest = {
  __resolveReference: (reference: { id: string }, context: PaymentContext) => context.paymentRequests.load(reference.id),
  status: (row: StoredRequest, _args: unknown, context: PaymentContext) => effectiveStatus(row, context.services.now()),
  amount: (row: StoredRequest) => money(row.amount, row.currency),
  qrPayload: (row: StoredRequest) => qrPayloadOf(row),
  qrSvg: (row: StoredRequest) => qrSvgOf(row),
  business: (row: StoredRequest) => ({ ...businessRef(row.businessId), name: row.businessName }),
  createdBy: (row: StoredRequest) => (row.createdByUserId ? userRef(row.createdByUserId) : null),
  createdByApiKey: (row: StoredRequest) => (row.createdByApiKeyId ? { __typename: 'ApiKey', id: row.createdByApiKeyId } : null),
  async payment(row: StoredRequest, _args: unknown, context: PaymentContext) {
    const payment = await context.paymentsByRequest.load(row.id);
    if (!payment) return null;
    if (!(await canSeePayment(context, payment))) throw forbidden('Only the payer and the business can see this payment.');
    return payment;
  },
};

export const Payment = {
  async __resolveReference(reference: { id: string }, context: PaymentContext) {
    const payment = await context.payments.load(reference.id);
    return payment && (await canSeePayment(context, payment)) ? payment : null;
  },
  amount: (row: StoredPayment) => money(row.amount, row.currency),
  refundedAmount: (row: StoredPayment) => money(row.refundedAmount, row.currency),
  payer: (row: StoredPayment) => ({ ...userRef(row.payerUserId), displayName: row.payerDisplayName }),
  paymentRequest: (row: StoredPayment, _args: unknown, context: PaymentContext) => (row.paymentRequestId ? context.paymentRequests.load(row.paymentRequestId) : null),
  business: (row: StoredPayment) => businessRef(row.businessId),
  createdBy: (row: StoredPayment) => (row.createdByUserId ? userRef(row.createdByUserId) : null),
  paymentLink: (row: StoredPayment, _args: unknown, context: PaymentContext) => (row.paymentLinkId ? context.paymentLinks.load(row.paymentLinkId) : null),
  // money-out.md: the fee is the business's affair; its payer gets null with FORBIDDEN.
  async fee(row: StoredPayment, _args: unknown, context: PaymentContext) {
    await requireFeeVisible(context, row);
    return money(row.fee, row.currency);
  },
  async net(row: StoredPayment, _args: unknown, context: PaymentContext) {
    await requireFeeVisible(context, row);
    return money(row.amount - row.fee, row.currency);
  },
};

/** A payment link: public to anyone holding its id (nothing in it says who paid). */
export const PaymentLink = {
  __resolveReference: (reference: { id: string }, context: PaymentContext) => context.paymentLinks.load(reference.id),
  url: (row: StoredLink, _args: unknown, context: PaymentContext) => linkUrl(context.services.config.publicBaseUrl, row.id),
  status: (row: StoredLink, _args: unknown, context: PaymentContext) => effectiveLinkStatus(row, context.services.now()),
  amount: (row: StoredLink) => (row.amount === null ? null : money(row.amount, row.currency)),
  qrPayload: (row: StoredLink) => linkQrPayload(row),
  qrSvg: (row: StoredLink) => linkQrSvg(row),
  business: (row: StoredLink) => businessRef(row.businessId),
};

/** Reads a link for the public `paymentLink`, recording EXPIRED when it is past its expiry. */
export async function readPaymentLink(context: PaymentContext, id: string): Promise<StoredLink | null> {
  const link = await context.paymentLinks.load(id);
  return link && noteExpiry(context.services.store, link, context.services.now());
}

export const Refund = {
  __resolveReference: async (reference: { id: string }, context: PaymentContext) => {
    const refund = await context.refunds.load(reference.id);
    if (!refund) return null;
    const payment = await context.payments.load(refund.paymentId);
    return payment && (await canSeePayment(context, payment)) ? refund : null;
  },
  amount: (row: StoredRefund) => money(row.amount, row.currency),
  payment: (row: StoredRefund, _args: unknown, context: PaymentContext) => context.payments.load(row.paymentId),
};

export const Transfer = {
  __resolveReference: async (reference: { id: string }, context: PaymentContext) => {
    const transfer = await context.transfers.load(reference.id);
    const visible = transfer && (isSelf(context.identity, transfer.senderUserId) || isSelf(context.identity, transfer.recipientUserId));
    return visible ? transfer : null;
  },
  amount: (row: StoredTransfer) => money(row.amount, row.currency),
  sender: (row: StoredTransfer) => userRef(row.senderUserId),
  recipient: (row: StoredTransfer) => userRef(row.recipientUserId),
};

export const Payout = {
  amount: (row: StoredPayout) => money(row.amount, row.currency),
  expectedArrivalDate: (row: StoredPayout) => dayText(row.expectedArrivalDate),
  destination: (row: StoredPayout) => ({ bankName: bankName(row.bankCode) ?? row.bankCode, accountNumberLast4: row.accountNumberLast4 }),
};
