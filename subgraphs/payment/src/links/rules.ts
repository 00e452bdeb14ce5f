/**
 * Payment links (merchant.md, "Payment links"): every rule in one place.
 *
 * - A link is a reusable request: `amount` fixed, or null so the payer
 *   chooses it; at most `maxPayments` payments (null: unlimited); payable
 *   until `expiresAt` (null: never).
 * - Status: ACTIVE → INACTIVE (deactivated), EXPIRED (past `expiresAt`, as
 *   soon as it passes, whatever the row says yet) or COMPLETED (the payment
 *   that took the last place). None of them goes back to ACTIVE.
 * - OWNERs and MANAGERs create, deactivate and list links; anyone holding
 *   the id reads one (`paymentLink` is public) and any signed-in user who is
 *   not a member pays it.
 */
import { encodePaymentLinkPayload, renderQrSvg } from '@harbour/emv-qr';
import { badUserInput, forbidden, harbourError, ErrorCode } from '@harbour/errors';
import type { PaymentLink, PaymentLinkStatus } from '@harbour/prisma/payment';
import { parseOptionalText } from '@harbour/server';
import type { Standing } from '../partners/actor';
import { checkAmount } from '../domain/validation';

export const MAX_PAYMENTS_LIMIT = 100_000;

export const linkNotPayable = (status: PaymentLinkStatus) =>
  harbourError(ErrorCode.PAYMENT_LINK_NOT_PAYABLE, `This payment link cannot be paid: it is ${status.toLowerCase()}.`);

/** Who may create, deactivate and list a business's links. */
export function mayManageLinks(role: Standing | null | undefined): boolean {
  // A partner's API key reaches here only with payment_links:write (partners/actor.ts).
  return role === 'OWNER' || role === 'MANAGER' || role === 'API_KEY';
}

export const mayNotManageLinks = () => forbidden('Only an OWNER or a MANAGER of the business can manage its payment links.');

/** The status a reader sees now: a link past its expiry is EXPIRED even before anything wrote that. */
export function effectiveLinkStatus(link: Pick<PaymentLink, 'status' | 'expiresAt'>, now: Date): PaymentLinkStatus {
  if (link.status === 'ACTIVE' && link.expiresAt !== null && link.expiresAt <= now) return 'EXPIRED';
  return link.status;
}

export interface LinkTerms {
  amount: bigint | null;
  description: string;
  maxPayments: number | null;
  expiresAt: Date | null;
}

/** A new link's terms, checked field by field. */
export function checkLinkTerms(
  input: { amount?: bigint | null; description: string; maxPayments?: number | null; expiresAt?: Date | null },
  limitMinor: bigint,
  now: Date,
): LinkTerms {
  const amount = input.amount === null || input.amount === undefined ? null : checkAmount(input.amount, limitMinor);
  const description = parseOptionalText(input.description, { field: 'description', label: 'Description', max: 140 });
  if (description === null) throw badUserInput('Description must be 1 to 140 characters.', 'description');
  const maxPayments = input.maxPayments ?? null;
  if (maxPayments !== null && (!Number.isInteger(maxPayments) || maxPayments < 1 || maxPayments > MAX_PAYMENTS_LIMIT)) {
    throw badUserInput(`maxPayments must be 1 to ${MAX_PAYMENTS_LIMIT}, or null for unlimited.`, 'maxPayments');
  }
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null && expiresAt <= now) throw badUserInput('expiresAt must be in the future.', 'expiresAt');
  return { amount, description, maxPayments, expiresAt };
}

/** The amount one payment of the link moves: the link's own, or the payer's when it has none (never both). */
export function amountToPay(link: Pick<PaymentLink, 'amount'>, given: bigint | null | undefined, limitMinor: bigint): bigint {
  if (link.amount !== null) {
    if (given !== null && given !== undefined) throw badUserInput('This link has a fixed amount: leave out `amount`.', 'amount');
    return link.amount;
  }
  if (given === null || given === undefined) throw badUserInput('This link lets the payer choose: give an `amount`.', 'amount');
  return checkAmount(given, limitMinor);
}

export const linkUrl = (publicBaseUrl: string, id: string) => `${publicBaseUrl}/pay/${id}`;

export const linkQrPayload = (link: PaymentLink) =>
  encodePaymentLinkPayload({
    paymentLinkId: link.id,
    amountMinor: link.amount,
    currency: link.currency as 'HKD',
    merchantName: link.businessName,
    merchantCity: link.businessCity,
    merchantCategoryCode: link.merchantCategoryCode,
  });

export const linkQrSvg = (link: PaymentLink) => renderQrSvg(linkQrPayload(link));
