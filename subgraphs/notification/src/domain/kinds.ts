/** The NotificationKind values this build knows (the SDL's enum). Stored as strings, so new kinds need no migration. */
export const NOTIFICATION_KINDS = [
  'PAYMENT_SENT',
  'PAYMENT_RECEIVED',
  'REFUND_SENT',
  'REFUND_RECEIVED',
  'TRANSFER_SENT',
  'TRANSFER_RECEIVED',
  'WALLET_TOPPED_UP',
  'FRIEND_ADDED',
  'BUSINESS_MEMBER_ADDED',
  'PAYOUT_ACCOUNT_CHANGED',
  'PAYOUT_PAID',
  'PAYOUT_FAILED',
  'STATEMENT_READY',
  'WEBHOOK_ENDPOINT_DISABLED',
  'WALLET_FROZEN',
  'WALLET_UNFROZEN',
  'BUSINESS_FROZEN',
  'BUSINESS_UNFROZEN',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const known = new Set<string>(NOTIFICATION_KINDS);

export function isKnownKind(kind: string): kind is NotificationKind {
  return known.has(kind);
}

/**
 * What a reader is shown: kinds in this build's SDL enum only. A row of a
 * kind added by a newer build (a rolling deploy) could not be serialised as
 * this schema's enum, so it stays out of this build's lists and counts.
 */
export const readableKinds = (): string[] => [...NOTIFICATION_KINDS];
