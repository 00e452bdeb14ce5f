import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads `<dataDir>/<name>`, creating it with `create()` the first time. Several
 * processes may start at once: the file is written to a temporary name and
 * linked into place, so exactly one value wins and every process reads it.
 */
export function readOrCreateLocalSecret(dataDir: string, name: string, create: () => string): string {
  const file = path.join(dataDir, name);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, create(), { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  return fs.readFileSync(file, 'utf8');
}
