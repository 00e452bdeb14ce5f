/**
 * The kinds of timeline entry this build knows: the schema's
 * TimelineEntryKind (a test keeps the two equal). Entries store the kind as a
 * string, so a newer build can write kinds an older one does not know yet.
 */
export const TIMELINE_ENTRY_KINDS = [
  'PAYMENT_SENT',
  'PAYMENT_RECEIVED',
  'REFUND_SENT',
  'REFUND_RECEIVED',
  'TRANSFER_SENT',
  'TRANSFER_RECEIVED',
  'WALLET_TOPPED_UP',
  'FRIEND_ADDED',
] as const;

export type TimelineEntryKind = (typeof TIMELINE_ENTRY_KINDS)[number];

const known: ReadonlySet<string> = new Set(TIMELINE_ENTRY_KINDS);

export function isKnownKind(kind: string): kind is TimelineEntryKind {
  return known.has(kind);
}
