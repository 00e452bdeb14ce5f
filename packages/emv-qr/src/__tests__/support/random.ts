/**
 * A seeded generator for the property-style tests: the same seed gives the
 * same cases, so a failure can be replayed by its seed.
 */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: a uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** A string of `length` characters (code points) drawn from `alphabet`. */
  string(alphabet: string, length: number): string {
    const chars = Array.from(alphabet);
    return Array.from({ length }, () => this.pick(chars)).join('');
  }
}

export const ASCII_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Printable ASCII including the punctuation that could be mistaken for structure. */
export const PRINTABLE_ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
export const CJK = '陳記茶餐廳香港九龍灣仔中環最佳運輸北京海港咖啡美食';
/** Non-ASCII beyond the BMP (two UTF-16 units, one code point) and accents. */
export const OTHER = 'éüñ€𠀋𩸽😀';
