import { classifyScan, encodeHarbourPayload, harbourPayloadMatches, renderQrSvg, type HarbourPayloadInput } from '@harbour/emv-qr';
import { harbourError, ErrorCode, notFound } from '@harbour/errors';
import type { PaymentRequest, PaymentStore } from '@harbour/prisma/payment';

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

/**
 * Any string a camera could read: our own payload gives its payment request
 * (whatever its status); our format with an unknown id is NOT_FOUND; ours
 * with any field that disagrees with the stored request (even under a
 * recomputed CRC) is INVALID_QR; a well-formed payload of another scheme is
 * QR_NOT_SUPPORTED; anything malformed is INVALID_QR.
 */
export async function paymentRequestByQr(store: PaymentStore, text: string): Promise<PaymentRequest> {
  // EMVCo caps a payload at 512 characters; anything far longer is not a QR code's contents.
  if (text.length > MAX_SCAN_LENGTH) throw invalidQr('This is not a valid payment QR code (too long).');
  const scan = classifyScan(text);
  switch (scan.kind) {
    case 'invalid':
      throw invalidQr(`This is not a valid payment QR code (${scan.reason}).`);
    case 'other-scheme':
      throw harbourError(ErrorCode.QR_NOT_SUPPORTED, 'This QR code belongs to another payment scheme; Harbour cannot pay it.');
    case 'harbour': {
      const request = await store.paymentRequest.findUnique({ where: { id: scan.paymentRequestId } });
      if (!request) throw notFound('Payment request');
      if (!harbourPayloadMatches(text, payloadInput(request)).matches) throw invalidQr('This QR code does not match the payment request it names.');
      return request;
    }
  }
}
