import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { ErrorCode } from '@harbour/errors';

/** The contract's Decimal: up to 9 integer digits, at most two decimals, no sign or exponent. */
const DECIMAL_INPUT = /^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$/;

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

/** "12.5" → 1250n minor units. Throws BAD_USER_INPUT for anything but the contract's form. */
export function parseDecimal(value: unknown): bigint {
  if (typeof value !== 'string') throw badInput('Decimal must be a string such as "12.50".');
  const match = DECIMAL_INPUT.exec(value);
  if (!match) throw badInput(`"${value.slice(0, 32)}" is not a valid Decimal (e.g. "12.50": no sign, exponent or third decimal).`);
  const [whole, fraction = ''] = value.split('.');
  return BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** 1250n → "12.50": always exactly two decimals. */
export function formatDecimal(minorUnits: bigint): string {
  const negative = minorUnits < 0n;
  const absolute = negative ? -minorUnits : minorUnits;
  const text = `${absolute / 100n}.${(absolute % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

export const DecimalScalar = new GraphQLScalarType<bigint, string>({
  name: 'Decimal',
  description: 'An amount as a string with exactly two decimals on output ("12.50"); integer minor units inside.',
  serialize(value) {
    if (typeof value === 'bigint') return formatDecimal(value);
    if (typeof value === 'number' && Number.isSafeInteger(value)) return formatDecimal(BigInt(value));
    throw new GraphQLError('Decimal can only serialise integer minor units.');
  },
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('Decimal must be a string such as "12.50".');
    return parseDecimal(ast.value);
  },
});

/** RFC 3339 with a mandatory offset (Z or ±hh:mm). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw badInput('DateTime must be RFC 3339 with an offset, e.g. "2026-11-22T00:00:00+08:00".');
  }
  const date = new Date(value);
  const [, year, month, day, hour, minute, second] = RFC3339.exec(value)!;
  // Date() rolls 2026-02-31 over into March; a calendar-impossible value is an error, not a different day.
  const probe = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  if (
    Number.isNaN(date.getTime()) ||
    probe.getUTCDate() !== Number(day) ||
    probe.getUTCMonth() !== Number(month) - 1 ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59
  ) {
    throw badInput(`"${value.slice(0, 40)}" is not a valid DateTime.`);
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'RFC 3339 with an offset on input; UTC ("Z") on output.',
  serialize(value) {
    const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot serialise this value.');
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('DateTime must be a string.');
    return parseDateTime(ast.value);
  },
});

export const scalarResolvers = { Decimal: DecimalScalar, DateTime: DateTimeScalar };
