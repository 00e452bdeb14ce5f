/**
 * Every public EMVCo vector, by name, with the classification Harbour gives
 * it and why. A vector added to the shared file without an entry here fails
 * the first test, so each new case gets a deliberate decision.
 */
import {
  classifyScan,
  decodeEmvPayload,
  describeIssue,
  encodeTlvList,
  type InvalidScanReason,
  type ScanClassification,
  type TlvObject,
} from '../..';
import { bodyOf } from './support/payloads';
import { VECTORS_PATH, loadVectors, type Vector } from './support/vectors';

type Expectation =
  | { readonly kind: 'other-scheme'; readonly schemes: readonly string[]; readonly why: string }
  | { readonly kind: 'invalid'; readonly reason: InvalidScanReason; readonly why: string };

/** `schemes`: the scheme names we recognise, or the GUIDs when we do not. */
const EXPECTED: Record<string, Expectation> = {
  emvco_official_A13A: {
    kind: 'other-scheme',
    schemes: ['D15600000000', 'D15600000001'],
    why: 'the EMVCo sample: well-formed, CRC right, nothing of ours in it',
  },
  mercari_sample_CDE7: {
    kind: 'other-scheme',
    schemes: ['D15600000000', 'D15600000001'],
    why: 'the same sample reordered (64 before 63, 58 after 55): only 00 first and 63 last are positional',
  },
  mercari_bad_header: { kind: 'invalid', reason: 'bad-header', why: 'starts with 01, not 00 = "01"' },
  mercari_missing_crc: { kind: 'invalid', reason: 'missing-crc', why: 'no ID 63 at all' },
  mercari_crc_0000: { kind: 'invalid', reason: 'bad-crc', why: 'CRC 0000 where A13A is computed' },
  mvallim_crc_XXXX: { kind: 'invalid', reason: 'bad-crc', why: 'CRC "XXXX" is not even hex; 6325 is computed' },
  odoo_hk_100: { kind: 'other-scheme', schemes: ['FPS'], why: 'an FPS code (hk.com.hkicl in 26)' },
  'odoo_hk_100.5': { kind: 'other-scheme', schemes: ['FPS'], why: 'an FPS code; "100.5" is a valid EMVCo amount' },
  hk_mobile_C246: {
    kind: 'other-scheme',
    schemes: ['FPS'],
    why: 'an FPS code with "NA" for the name, as ours does; static (01 = 11) with an amount, which only a Harbour shop code may not be',
  },
  pp_local_6197: {
    kind: 'other-scheme',
    schemes: ['PromptPay'],
    why: 'PromptPay omits 52, 59 and 60; intact and unambiguous, and working PromptPay codes look like this, so QR_NOT_SUPPORTED, not INVALID_QR',
  },
  pp_amount_E469: { kind: 'other-scheme', schemes: ['PromptPay'], why: 'as pp_local_6197, with an amount' },
  pix_bcb_static_1D3D: {
    kind: 'other-scheme',
    schemes: ['Pix'],
    why: 'a static Pix code (no 01; it is optional, and the 01/54 rules are for Harbour payloads only)',
  },
};

/** What the vector file's `detail` column says an invalid vector's reason is. */
function reasonFromDetail(detail: string): { reason: InvalidScanReason; computedCrc?: string } {
  if (detail === 'header') return { reason: 'bad-header' };
  if (detail === 'no crc') return { reason: 'missing-crc' };
  const crc = /^crc mismatch \(calc ([0-9A-F]{4})\)$/.exec(detail);
  if (crc) return { reason: 'bad-crc', computedCrc: crc[1]! };
  throw new Error(`no mapping for invalid-vector detail "${detail}"; add one here`);
}

function schemesOf(result: ScanClassification): string[] {
  return result.kind === 'other-scheme' ? result.schemes.map((s) => s.name ?? s.guid ?? s.id) : [];
}

/** Serialises a decoded tree back, checking templates reserialise to their own value. */
function reencode(objects: readonly TlvObject[]): string {
  for (const object of objects) {
    if (object.children) expect(reencode(object.children)).toBe(object.value);
  }
  return encodeTlvList(objects.map(({ id, value }) => ({ id, value })));
}

const vectors = loadVectors();

if (!vectors) {
  console.warn(`public EMVCo MPM vectors skipped: ${VECTORS_PATH} not found`);
  describe('public EMVCo MPM vectors', () => {
    it.skip(`skipped: ${VECTORS_PATH} is not there (the shared vectors live beside the repository)`, () => undefined);
  });
} else {
  describe('public EMVCo MPM vectors', () => {
    it('has a deliberate expectation for every vector, and no stale ones', () => {
      expect(vectors.map((v) => v.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    });

    describe.each(vectors.map((v): [string, Vector] => [v.name, v]))('%s', (name, vector) => {
      const expected = EXPECTED[name];
      const result = classifyScan(vector.payload);

      it(`is classified as expected (${expected?.why ?? 'no expectation'})`, () => {
        expect(expected).toBeDefined();
        expect(result.kind).toBe(expected!.kind);
        if (expected!.kind === 'other-scheme') expect(schemesOf(result)).toEqual(expected!.schemes);
        if (expected!.kind === 'invalid' && result.kind === 'invalid') expect(result.reason).toBe(expected!.reason);
      });

      if (vector.kind === 'valid') {
        it('decodes, verifies and breaks no rule', () => {
          const decoded = decodeEmvPayload(vector.payload);
          expect(decoded.ok).toBe(true);
          if (!decoded.ok) return;
          expect(decoded.payload.crc).toBe(vector.payload.slice(-4));
          expect(result.kind === 'other-scheme' && result.issues).toEqual([]);
          expect(reencode(decoded.payload.objects)).toBe(vector.payload);
        });
      }

      if (vector.kind === 'lenient') {
        it('breaks exactly the rules the vector file lists, and only those', () => {
          expect(decodeEmvPayload(vector.payload).ok).toBe(true);
          const issues = result.kind === 'other-scheme' ? result.issues.map(describeIssue) : [];
          expect(issues.sort()).toEqual(vector.detail.split(';').sort());
        });
      }

      if (vector.kind === 'invalid') {
        it(`fails for the reason the vector file gives (${vector.detail})`, () => {
          const { reason, computedCrc } = reasonFromDetail(vector.detail);
          const decoded = decodeEmvPayload(vector.payload);
          expect(decoded.ok).toBe(false);
          if (decoded.ok) return;
          expect(decoded.failure.reason).toBe(reason);
          if (computedCrc !== undefined) {
            expect(decoded.failure).toMatchObject({ expected: computedCrc });
            // The CRC is the only thing wrong: with the computed one the payload reads.
            expect(classifyScan(`${bodyOf(vector.payload)}6304${computedCrc}`).kind).toBe('other-scheme');
          }
        });
      }
    });
  });
}
