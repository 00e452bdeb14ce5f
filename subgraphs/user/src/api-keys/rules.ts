/**
 * API keys (contract part 4, partners.md): the rules in one place. A key
 * belongs to one business, carries scopes from PARTNER_SCOPES, and is shown
 * once; only the business's OWNERs make, list and revoke them.
 */
import { badUserInput } from '@harbour/errors';
import type { Mode } from '@harbour/config';
import { isPartnerScope, PARTNER_SCOPES, type PartnerScope } from '@harbour/identity';
import type { ApiKeyMode } from '@harbour/prisma/user';
import { parseOptionalText } from '@harbour/server';

export { PARTNER_SCOPES, type PartnerScope };

/** A sandbox's keys and production's look different, so that neither is used for the other by mistake. */
export const SECRET_PREFIXES: Record<ApiKeyMode, string> = { SANDBOX: 'hk_test_', LIVE: 'hk_live_' };
export const keyModeOf = (mode: Mode): ApiKeyMode => (mode === 'production' ? 'LIVE' : 'SANDBOX');

/** How many characters of the secret are kept in clear to tell keys apart: the mode's prefix and four more. */
export const DISPLAYED_PREFIX_LENGTH = 12;

/** lastUsedAt is written at most this often per key (partners.md: at most once a minute). */
export const LAST_USED_EVERY_MS = 60_000;

/** A business holds at most this many keys that are not revoked. */
export const MAX_ACTIVE_KEYS = 50;

export function checkName(value: string): string {
  const name = parseOptionalText(value, { field: 'name', label: 'Name', max: 50 });
  if (name === null) throw badUserInput('Name must be 1 to 50 characters.', 'name');
  return name;
}

/** The scopes asked for: at least one, every one known, each once (sorted). */
export function checkScopes(scopes: readonly string[]): PartnerScope[] {
  if (scopes.length === 0) throw badUserInput(`A key needs at least one scope: ${PARTNER_SCOPES.join(', ')}.`, 'scopes');
  const unknown = scopes.filter((scope) => !isPartnerScope(scope));
  if (unknown.length > 0) throw badUserInput(`Unknown scope ${unknown.map((scope) => JSON.stringify(scope.slice(0, 64))).join(', ')}: a key's scopes are ${PARTNER_SCOPES.join(', ')}.`, 'scopes');
  return [...new Set(scopes as PartnerScope[])].sort();
}

export const scopesOf = (stored: string): PartnerScope[] => stored.split(' ').filter(Boolean) as PartnerScope[];
