import jsQR from 'jsqr';
import { toString } from 'qrcode';
import { encodeHarbourPayload, encodePaymentLinkPayload, encodeShopPayload, renderQrSvg } from '../..';
import { SAMPLE_INPUT, SAMPLE_OPEN_LINK_INPUT, SAMPLE_SHOP_INPUT } from './support/payloads';
import { errorCorrectionLevel } from './support/qr-format';
import { rasteriseSvg } from './support/svg-raster';

/** Draws, rasterises and decodes with jsQR, a decoder that shares nothing with qrcode. */
async function drawAndRead(payload: string): Promise<string | undefined> {
  const svg = await renderQrSvg(payload);
  const image = rasteriseSvg(svg, { scale: 4, pad: 2 });
  return jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data;
}

describe('renderQrSvg', () => {
  it('draws an SVG that an independent decoder reads back as the ASCII payload', async () => {
    const payload = encodeHarbourPayload(SAMPLE_INPUT);
    expect(await drawAndRead(payload)).toBe(payload);
  });

  it('draws a payload with a Chinese name and city (UTF-8 in byte mode) that reads back intact', async () => {
    const payload = encodeHarbourPayload({ ...SAMPLE_INPUT, merchantName: '陳記茶餐廳 Chan Kee', merchantCity: '香港九龍' });
    expect(payload).toContain('陳記茶餐廳 Chan Kee');
    expect(await drawAndRead(payload)).toBe(payload);
  });

  it('draws shop and payment link codes that read back intact', async () => {
    for (const payload of [encodeShopPayload(SAMPLE_SHOP_INPUT), encodePaymentLinkPayload(SAMPLE_OPEN_LINK_INPUT)]) {
      expect(await drawAndRead(payload)).toBe(payload);
    }
  });

  it('produces a standalone, scalable SVG with error correction M', async () => {
    const svg = await renderQrSvg(encodeHarbourPayload(SAMPLE_INPUT));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    expect(svg).not.toMatch(/ width=/);
    expect(errorCorrectionLevel(rasteriseSvg(svg, { scale: 1, pad: 0 }), 4)).toBe('M');
  });

  it('refuses an empty payload', async () => {
    await expect(renderQrSvg('')).rejects.toThrow(RangeError);
  });
});

describe('the test rasteriser', () => {
  it('paints fills and 1-unit strokes where the SVG says', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><path fill="#ffffff" d="M0 0h4v4H0z"/>' +
      '<path stroke="#000000" d="M1 1.5h2M1 2.5h1m1 0h1"/></svg>';
    const image = rasteriseSvg(svg, { scale: 1, pad: 0 });
    const dark = (x: number, y: number) => image.data[(y * image.width + x) * 4] === 0;
    const grid = [0, 1, 2, 3].map((y) => [0, 1, 2, 3].map((x) => (dark(x, y) ? '#' : '.')).join(''));
    expect(grid).toEqual(['....', '.##.', '.#.#', '....']);
  });

  it('reads back each error correction level qrcode can draw', async () => {
    for (const level of ['L', 'M', 'Q', 'H'] as const) {
      const svg = await toString('HARBOUR', { type: 'svg', errorCorrectionLevel: level, margin: 4 });
      expect(errorCorrectionLevel(rasteriseSvg(svg, { scale: 1, pad: 0 }), 4)).toBe(level);
    }
  });

  it('refuses commands it does not understand', () => {
    const svg = '<svg viewBox="0 0 4 4"><path stroke="#000000" d="M0 0.5l2 2"/></svg>';
    expect(() => rasteriseSvg(svg, { scale: 1, pad: 0 })).toThrow(/not supported/);
  });
});
