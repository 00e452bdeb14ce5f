import { classifyScan, encodeHarbourPayload, harbourPayloadMatches, paymentLinkPayloadMatches, renderQrSvg, shopPayloadMatches, type HarbourPayloadInput } from '@harbour/emv-qr';
import { harbourError, ErrorCode, notFound } from '@harbour/errors';
import type { PaymentLink, PaymentRequest, PaymentStore } from '@harbour/prisma/payment';
import type { BusinessProfile } from '../directory/directory';

/** What a request's QR code says: the business as it was when the request was made. */
function payloadInput(request: PaymentRequest): HarbourPayloadInput {
  return {
    paymentRequestId: request.id,
    amountMinor: request.amount,
    currency: request.currency as HarbourPayloadInput['currency'],
    merchantName: request.businessName,
    merchantCity: request.businessCity,
    merchantCategoryCode: request.merchantCategoryCode,
    reference: request.reference,
  };
}

export const qrPayloadOf = (request: PaymentRequest) => encodeHarbourPayload(payloadInput(request));
export const qrSvgOf = (request: PaymentRequest) => renderQrSvg(qrPayloadOf(request));

const MAX_SCAN_LENGTH = 1_024;

const invalidQr = (message: string) => harbourError(ErrorCode.INVALID_QR, message);

/** What a scanned Harbour code names, checked against what it names. */
export type Scanned =
  | { kind: 'paymentRequest'; request: PaymentRequest }
  | { kind: 'business'; business: BusinessProfile }
  | { kind: 'paymentLink'; link: PaymentLink };

export interface ScanLookups {
  store: PaymentStore;
  /** The business as it is now (its shop code prints its current name and city); null when there is none. */
  business(id: string): Promise<BusinessProfile | null>;
}

/**
 * Any string a camera could read: our own payload gives what it names
 * (whatever its status); our format with an unknown id is NOT_FOUND; ours
 * with any field that disagrees with what it names (even under a recomputed
 * CRC), or a static code with an amount where none belongs, is INVALID_QR;
 * a well-formed payload of another scheme is QR_NOT_SUPPORTED; anything
 * malformed is INVALID_QR.
 */
export async function scanQr(lookups: ScanLookups, text: string, onlyRequests = false): Promise<Scanned> {
  // EMVCo caps a payload at 512 characters; anything far longer is not a QR code's contents.
  if (text.length > MAX_SCAN_LENGTH) throw invalidQr('This is not a valid payment QR code (too long).');
  const scan = classifyScan(text);
  switch (scan.kind) {
    case 'invalid':
      throw invalidQr(`This is not a valid payment QR code (${scan.message}).`);
    case 'other-scheme':
      throw harbourError(ErrorCode.QR_NOT_SUPPORTED, 'This QR code belongs to another payment scheme; Harbour cannot pay it.');
    case 'harbour':
      break;
  }
  const { target } = scan;
  if (onlyRequests && target.kind !== 'paymentRequest') {
    throw harbourError(ErrorCode.QR_NOT_SUPPORTED, 'This is a shop or payment link QR code: scan it with scanQr (update the app).');
  }
  switch (target.kind) {
    case 'paymentRequest': {
      const request = await lookups.store.paymentRequest.findUnique({ where: { id: target.id } });
      if (!request) throw notFound('Payment request');
      if (!harbourPayloadMatches(text, payloadInput(request)).matches) throw invalidQr('This QR code does not match the payment request it names.');
      return { kind: 'paymentRequest', request };
    }
    case 'business': {
      const business = await lookups.business(target.id);
      if (!business) throw notFound('Business');
      if (!shopPayloadMatches(text, shopPayloadInput(business)).matches) throw invalidQr('This QR code does not match the shop it names.');
      return { kind: 'business', business };
    }
    case 'paymentLink': {
      const link = await lookups.store.paymentLink.findUnique({ where: { id: target.id } });
      if (!link) throw notFound('Payment link');
      const matches = paymentLinkPayloadMatches(text, {
        paymentLinkId: link.id,
        amountMinor: link.amount,
        currency: link.currency as HarbourPayloadInput['currency'],
        merchantName: link.businessName,
        merchantCity: link.businessCity,
        merchantCategoryCode: link.merchantCategoryCode,
      });
      if (!matches.matches) throw invalidQr('This QR code does not match the payment link it names.');
      return { kind: 'paymentLink', link };
    }
  }
}

/** The shop code's fields: the business as it is now (the business subgraph draws the same code for `shopQr`). */
const shopPayloadInput = (business: BusinessProfile) => ({
  businessId: business.id,
  currency: 'HKD' as const,
  merchantName: business.name,
  merchantCity: business.city,
  merchantCategoryCode: business.merchantCategoryCode,
});

/**
 * `paymentRequestByQr` keeps its meaning for apps that predate shop and link
 * codes: a payment request's code gives the request; a shop's or a link's is
 * QR_NOT_SUPPORTED ("update the app"), never a crash.
 */
export async function paymentRequestByQr(lookups: ScanLookups, text: string): Promise<PaymentRequest> {
  const scanned = await scanQr(lookups, text, true);
  if (scanned.kind !== 'paymentRequest') throw new Error('scanQr answered another kind than asked.');
  return scanned.request;
}
