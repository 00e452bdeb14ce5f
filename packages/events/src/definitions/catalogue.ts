/** Every event type and version Harbour emits; `parseEvent` accepts exactly these. */
import type { EventDefinition } from './define';
import type { EventOf } from './envelope';
import { businessMembershipChanged, businessRegistered } from './business';
import {
  paymentCompleted,
  paymentRefunded,
  paymentRequestCancelled,
  paymentRequestCreated,
  paymentRequestExpired,
  transferCompleted,
  walletToppedUp,
} from './payment';
import { friendshipEstablished } from './social';
import { userSignedUp } from './user';

export const catalogue = [
  paymentCompleted,
  paymentRefunded,
  transferCompleted,
  paymentRequestCreated,
  paymentRequestCancelled,
  paymentRequestExpired,
  walletToppedUp,
  userSignedUp,
  businessRegistered,
  businessMembershipChanged,
  friendshipEstablished,
] as const;

export type CatalogueDefinition = (typeof catalogue)[number];

/** Any event of the catalogue; `switch (event.type)` (then `event.version`) narrows the payload. */
export type KnownEvent = EventOf<CatalogueDefinition>;

const byKey = new Map<string, EventDefinition>(catalogue.map((definition) => [keyOf(definition.type, definition.version), definition]));
if (byKey.size !== catalogue.length) throw new Error('The event catalogue defines a type and version twice.');

function keyOf(type: string, version: number): string {
  return `${type}@${version}`;
}

/** The definition of `type` at `version`, or undefined when this build does not know it. */
export function findDefinition(type: string, version: number): EventDefinition | undefined {
  return byKey.get(keyOf(type, version));
}
