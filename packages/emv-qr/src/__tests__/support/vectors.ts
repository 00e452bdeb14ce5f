/** The public EMVCo MPM vectors shared by the whole project, read at run time. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** From src/__tests__ (this file's parent) five levels up is the folder holding the repository and shared/. */
const TESTS_DIR = path.resolve(__dirname, '..');
export const VECTORS_PATH = path.resolve(TESTS_DIR, '../../../../../shared/vectors/emv-mpm-public.tsv');

export interface Vector {
  readonly name: string;
  readonly kind: 'valid' | 'invalid' | 'lenient';
  readonly detail: string;
  readonly payload: string;
  readonly source: string;
}

/** The vectors, or undefined when the shared folder is not there (e.g. a checkout of this repo alone). */
export function loadVectors(): Vector[] | undefined {
  if (!fs.existsSync(VECTORS_PATH)) return undefined;
  const [header, ...lines] = fs.readFileSync(VECTORS_PATH, 'utf8').split(/\r?\n/);
  if (header !== 'name\tkind\tdetail\tpayload\tsource') throw new Error(`unexpected header in ${VECTORS_PATH}: ${header}`);
  return lines
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name, kind, detail, payload, source] = line.split('\t');
      if (kind !== 'valid' && kind !== 'invalid' && kind !== 'lenient') throw new Error(`vector ${name}: kind "${kind}"`);
      if (!name || payload === undefined) throw new Error(`malformed vector line: ${line}`);
      return { name, kind, detail: detail ?? '', payload, source: source ?? '' };
    });
}
