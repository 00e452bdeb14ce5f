/**
 * The merchant fee (money-out.md, "Fees"), in one place.
 *
 * - A business pays `feeRateBps` basis points of every payment it receives
 *   (default `MERCHANT_FEE_BPS`, 120 = 1.20 %; staff may set a business's own).
 * - The fee of a payment is `amount × rate`, rounded half up to the cent, and
 *   fixed on the payment when it completes: a later rate change never
 *   touches it. `net = amount − fee`.
 * - A refund gives back the fee in proportion. The fee refunded so far is
 *   always the payment's fee × refunded so far / amount, rounded half up; a
 *   refund's share is what that cumulative figure grew by. So the shares of
 *   all refunds add up to exactly the fee once the payment is fully refunded,
 *   and never to more: rounding each refund on its own could drift a cent
 *   either way.
 *
 * Amounts are integer minor units (cents), never floats.
 */

/** 100 % in basis points: a rate above it would take more than the payment. */
export const MAX_FEE_RATE_BPS = 10_000;

export function checkFeeRate(bps: number): number {
  if (!Number.isInteger(bps) || bps < 0 || bps > MAX_FEE_RATE_BPS) throw new RangeError(`A fee rate is 0 to ${MAX_FEE_RATE_BPS} basis points, not ${bps}.`);
  return bps;
}

/** `a / b` rounded half up, for a ≥ 0 and b > 0. */
function divideHalfUp(a: bigint, b: bigint): bigint {
  return (2n * a + b) / (2n * b);
}

/** The fee of a payment of `amount` at `bps` basis points, rounded half up to the cent. */
export function feeOf(amount: bigint, bps: number): bigint {
  if (amount < 0n) throw new RangeError('A payment amount is never negative.');
  return divideHalfUp(amount * BigInt(checkFeeRate(bps)), BigInt(MAX_FEE_RATE_BPS));
}

/** The fee given back once `refunded` of a payment of `amount` with fee `fee` has been refunded. */
export function feeRefundedAt(fee: bigint, amount: bigint, refunded: bigint): bigint {
  if (refunded < 0n || refunded > amount) throw new RangeError('Refunds add up to 0 to the payment amount.');
  if (refunded === amount) return fee;
  return divideHalfUp(fee * refunded, amount);
}

/**
 * How a refund of `refundAmount` splits, after `refundedBefore` was refunded
 * already: `fee` comes back from the platform's FEE account, `net` from the
 * business; together the refund amount.
 */
export function refundShares(payment: { amount: bigint; fee: bigint }, refundedBefore: bigint, refundAmount: bigint): { fee: bigint; net: bigint } {
  const fee = feeRefundedAt(payment.fee, payment.amount, refundedBefore + refundAmount) - feeRefundedAt(payment.fee, payment.amount, refundedBefore);
  return { fee, net: refundAmount - fee };
}
