import { checkFeeRate, feeOf, feeRefundedAt, refundShares } from '../rules';

describe('the fee of a payment', () => {
  it.each([
    [10_000n, 120, 120n], // HK$100.00 at 1.20 %: HK$1.20
    [1_250n, 120, 15n], // HK$12.50: 15.0 cents
    [1_000n, 125, 13n], // 12.5 cents rounds half up
    [1_000n, 124, 12n], // 12.4 cents rounds down
    [41n, 120, 0n], // 0.492 cents
    [42n, 120, 1n], // 0.504 cents
    [1n, 0, 0n],
    [99_999_999n, 10_000, 99_999_999n],
  ])('%p at %p bps is %p', (amount, bps, fee) => {
    expect(feeOf(amount, bps)).toBe(fee);
  });

  it('refuses rates outside 0–10,000 and negative amounts', () => {
    for (const bps of [-1, 10_001, 1.5, Number.NaN]) expect(() => checkFeeRate(bps)).toThrow(RangeError);
    expect(() => feeOf(-1n, 120)).toThrow(RangeError);
  });
});

/** A seeded PRNG (mulberry32): a failing sequence can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('fee refunds over random refund sequences', () => {
  const SEQUENCES = 5_000;

  it(`sum to exactly the fee when fully refunded, never more, each share within a cent of proportional (${SEQUENCES} sequences)`, () => {
    for (let seed = 1; seed <= SEQUENCES; seed++) {
      const next = random(seed);
      const amount = BigInt(1 + Math.floor(next() * (seed % 10 === 0 ? 100 : 5_000_000)));
      const bps = [0, 1, 99, 120, 250, 333, 10_000][Math.floor(next() * 7)]!;
      const payment = { amount, fee: feeOf(amount, bps) };
      let refunded = 0n;
      let feeBack = 0n;
      let netBack = 0n;
      const refunds = 1 + Math.floor(next() * 12);
      for (let i = 0; i < refunds && refunded < amount; i++) {
        const left = amount - refunded;
        const last = i === refunds - 1;
        const part = last ? left : 1n + BigInt(Math.floor(next() * Number(left)));
        const shares = refundShares(payment, refunded, part);
        const context = `seed ${seed}: amount ${amount}, bps ${bps}, refund ${i} of ${part} after ${refunded}`;
        expect({ context, sum: shares.fee + shares.net }).toEqual({ context, sum: part });
        expect({ context, nonNegative: shares.fee >= 0n && shares.net >= 0n }).toEqual({ context, nonNegative: true });
        // Within a cent of the exact proportional share.
        const exact = (Number(payment.fee) * Number(part)) / Number(amount);
        expect({ context, close: Math.abs(Number(shares.fee) - exact) <= 1 }).toEqual({ context, close: true });
        refunded += part;
        feeBack += shares.fee;
        netBack += shares.net;
        expect({ context, neverMore: feeBack <= payment.fee }).toEqual({ context, neverMore: true });
      }
      expect({ seed, refunded }).toEqual({ seed, refunded: amount });
      expect({ seed, feeBack, netBack }).toEqual({ seed, feeBack: payment.fee, netBack: amount - payment.fee });
    }
  });

  it('the cumulative fee refunded is monotonic in what was refunded', () => {
    const fee = feeOf(12_345n, 120);
    let previous = 0n;
    for (let refunded = 0n; refunded <= 12_345n; refunded += 7n) {
      const now = feeRefundedAt(fee, 12_345n, refunded);
      expect(now >= previous).toBe(true);
      previous = now;
    }
    expect(feeRefundedAt(fee, 12_345n, 12_345n)).toBe(fee);
    expect(() => feeRefundedAt(fee, 12_345n, 12_346n)).toThrow(RangeError);
  });
});
