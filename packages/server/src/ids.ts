import { ulid } from 'ulid';

/**
 * Opaque, typed, unguessable ids: a type prefix and a ULID (48 bits of time,
 * 80 of cryptographic randomness), e.g. `usr_01JD...`.
 */
export const ID_PREFIXES = {
  user: 'usr',
  session: 'ses',
  refreshToken: 'rtk',
  business: 'biz',
  account: 'acc',
  journalEntry: 'jre',
  paymentRequest: 'prq',
  payment: 'pay',
  refund: 'rfd',
  transfer: 'trf',
  timelineEntry: 'tle',
  notification: 'ntf',
  membership: 'mem',
  paymentLink: 'plk',
  payout: 'pyo',
  apiKey: 'key',
  payoutBatch: 'pob',
  statement: 'stm',
  event: 'evt',
  webhookEndpoint: 'whe',
  webhookDelivery: 'whd',
  webhookAttempt: 'wha',
} as const;

export function newId(kind: keyof typeof ID_PREFIXES): string {
  return `${ID_PREFIXES[kind]}_${ulid()}`;
}

/** A well-formed id of this kind (cheap rejection before any database read). */
export function isId(kind: keyof typeof ID_PREFIXES, value: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-HJKMNP-TV-Z]{26}$`).test(value);
}
