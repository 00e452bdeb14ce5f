/**
 * Reads the error correction level out of a drawn QR code's format
 * information (ISO/IEC 18004 §7.9), so the test can check the level without
 * asking the library that drew it.
 */
import { type RgbaImage } from './svg-raster';

const FORMAT_MASK = 0b101010000010010;
const LEVELS = ['M', 'L', 'H', 'Q'] as const;

/**
 * `image` is rasterised at one pixel per module; `margin` is the quiet zone
 * in modules. Reads the copy of the format bits around the top-left finder
 * pattern, most significant bit first, in the order zxing's BitMatrixParser uses.
 */
export function errorCorrectionLevel(image: RgbaImage, margin: number): (typeof LEVELS)[number] {
  const dark = (x: number, y: number) => image.data[((y + margin) * image.width + x + margin) * 4]! < 128;
  const positions: Array<readonly [number, number]> = [
    ...[0, 1, 2, 3, 4, 5].map((x) => [x, 8] as const),
    [7, 8],
    [8, 8],
    [8, 7],
    ...[5, 4, 3, 2, 1, 0].map((y) => [8, y] as const),
  ];
  let bits = 0;
  for (const [x, y] of positions) bits = (bits << 1) | (dark(x, y) ? 1 : 0);
  return LEVELS[(bits ^ FORMAT_MASK) >> 13]!;
}
