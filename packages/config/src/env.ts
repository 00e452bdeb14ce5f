import { z } from 'zod';

/** A configuration value that is missing or malformed; its message is one line naming it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Reads one variable through a zod schema; an empty string counts as unset. */
export function readVar<T>(env: Env, name: string, schema: z.ZodType<T>, fallback?: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return fallback;
    const parsed = schema.safeParse(undefined);
    if (parsed.success) return parsed.data;
    throw new ConfigError(`${name} is required but not set.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? 'invalid value';
    throw new ConfigError(`${name} is malformed: ${reason}.`);
  }
  return parsed.data;
}

export const port = z.coerce.number().int().min(0).max(65535);
export const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `expected a ${protocols.join(' or ')} URL`);
export const positiveInt = z.coerce.number().int().positive();
/** A count where 0 means "off". */
export const nonNegativeInt = z.coerce.number().int().min(0);
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
