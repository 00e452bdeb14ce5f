/**
 * A rasteriser for exactly the SVG the `qrcode` package emits, so tests can
 * check the drawing with an independent decoder (jsQR) instead of trusting
 * the library that drew it. It understands:
 *
 *   <svg ... viewBox="0 0 W H" ...>
 *   <path fill="#rrggbb" d="M0 0h37v37H0z"/>          axis-aligned filled rectangles
 *   <path stroke="#rrggbb" d="M4 4.5h7m1 0h1M4 5.5h1..."/>   1-unit-wide strokes
 *
 * with the path commands M m H h V v Z z. Anything else throws, so a change in
 * qrcode's output fails the test loudly rather than decoding garbage.
 */

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

export interface RasterOptions {
  /** Pixels per SVG unit (one QR module). */
  readonly scale: number;
  /** Extra white border, in units, added around the viewBox. */
  readonly pad: number;
}

type Rgb = readonly [number, number, number];

interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export function rasteriseSvg(svg: string, { scale, pad }: RasterOptions): RgbaImage {
  const viewBox = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg);
  if (!viewBox) throw new Error('no viewBox "0 0 W H" in the SVG');
  const width = Math.round((Number(viewBox[1]) + 2 * pad) * scale);
  const height = Math.round((Number(viewBox[2]) + 2 * pad) * scale);
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  const image = { width, height, data };

  const paths = [...svg.matchAll(/<path\s([^>]*?)\/>/g)];
  if (paths.length === 0) throw new Error('no <path/> in the SVG');
  for (const [, attributes] of paths) {
    const d = attribute(attributes!, 'd');
    if (d === undefined) throw new Error('a path without d');
    const fill = attribute(attributes!, 'fill');
    const stroke = attribute(attributes!, 'stroke');
    if (attribute(attributes!, 'stroke-width') !== undefined) throw new Error('stroke-width is not supported');
    if (fill !== undefined) for (const rect of filledRects(d)) paint(image, rect, colour(fill), scale, pad);
    if (stroke !== undefined) for (const rect of strokedRects(d)) paint(image, rect, colour(stroke), scale, pad);
  }
  return image;
}

function attribute(attributes: string, name: string): string | undefined {
  return new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attributes)?.[1];
}

function colour(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`colour "${hex}" is not #rrggbb`);
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

interface Command {
  readonly op: string;
  readonly args: number[];
}

function commands(d: string): Command[] {
  const out: Command[] = [];
  for (const [whole, op, rest] of d.matchAll(/([A-Za-z])([^A-Za-z]*)/g)) {
    if (!'MmHhVvZz'.includes(op!)) throw new Error(`path command "${whole}" is not supported`);
    const args = rest!.trim() === '' ? [] : rest!.trim().split(/[\s,]+/).map(Number);
    if (args.some((n) => !Number.isFinite(n))) throw new Error(`bad numbers in "${whole}"`);
    const arity = 'Mm'.includes(op!) ? 2 : 'Zz'.includes(op!) ? 0 : 1;
    if (args.length !== arity) throw new Error(`"${whole}" takes ${arity} numbers`);
    out.push({ op: op!, args });
  }
  return out;
}

/** Walks the pen; calls `segment` for each drawn line and `close` for each z. */
function walk(d: string, segment: (x0: number, y0: number, x1: number, y1: number) => void, close: () => void): void {
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  for (const { op, args } of commands(d)) {
    const [a = 0, b = 0] = args;
    let nx = x;
    let ny = y;
    switch (op) {
      case 'M': case 'm':
        x = op === 'M' ? a : x + a;
        y = op === 'M' ? b : y + b;
        startX = x;
        startY = y;
        continue;
      case 'H': nx = a; break;
      case 'h': nx = x + a; break;
      case 'V': ny = a; break;
      case 'v': ny = y + a; break;
      default: // Z z
        nx = startX;
        ny = startY;
    }
    segment(x, y, nx, ny);
    x = nx;
    y = ny;
    if (op === 'Z' || op === 'z') close();
  }
}

/** Closed subpaths of a fill, each of which must be an axis-aligned rectangle. */
function filledRects(d: string): Rect[] {
  const rects: Rect[] = [];
  let points: Array<readonly [number, number]> = [];
  walk(
    d,
    (x0, y0, x1, y1) => {
      if (points.length === 0) points.push([x0, y0]);
      points.push([x1, y1]);
    },
    () => {
      const xs = points.map(([px]) => px);
      const ys = points.map(([, py]) => py);
      const rect = { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
      const corners = new Set(points.map(([px, py]) => `${px},${py}`));
      const isRectangle = [...corners].every((c) => {
        const [px, py] = c.split(',').map(Number);
        return (px === rect.x0 || px === rect.x1) && (py === rect.y0 || py === rect.y1);
      });
      if (!isRectangle || corners.size !== 4) throw new Error('only rectangular fills are supported');
      rects.push(rect);
      points = [];
    },
  );
  if (points.length > 0) throw new Error('a fill subpath is not closed');
  return rects;
}

/** Each horizontal or vertical line of a stroke, widened to the default stroke width of 1 (butt caps). */
function strokedRects(d: string): Rect[] {
  const rects: Rect[] = [];
  walk(
    d,
    (x0, y0, x1, y1) => {
      if (y0 === y1) rects.push({ x0: Math.min(x0, x1), x1: Math.max(x0, x1), y0: y0 - 0.5, y1: y0 + 0.5 });
      else if (x0 === x1) rects.push({ x0: x0 - 0.5, x1: x0 + 0.5, y0: Math.min(y0, y1), y1: Math.max(y0, y1) });
      else throw new Error('only horizontal and vertical strokes are supported');
    },
    () => undefined,
  );
  return rects;
}

function paint(image: RgbaImage, rect: Rect, [r, g, b]: Rgb, scale: number, pad: number): void {
  const px0 = Math.max(0, Math.round((rect.x0 + pad) * scale));
  const px1 = Math.min(image.width, Math.round((rect.x1 + pad) * scale));
  const py0 = Math.max(0, Math.round((rect.y0 + pad) * scale));
  const py1 = Math.min(image.height, Math.round((rect.y1 + pad) * scale));
  for (let py = py0; py < py1; py++) {
    for (let px = px0; px < px1; px++) {
      const at = (py * image.width + px) * 4;
      image.data[at] = r;
      image.data[at + 1] = g;
      image.data[at + 2] = b;
      image.data[at + 3] = 255;
    }
  }
}
