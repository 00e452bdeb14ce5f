import { badUserInput, forbidden } from '@harbour/errors';
import type { ApiKey as StoredApiKey } from '@harbour/prisma/user';
import { requireUser } from '@harbour/server';
import { createApiKey, listApiKeys, revokeApiKey, type CreateApiKeyInput } from '../api-keys/api-keys';
import { roleOf } from '../api-keys/business-roles';
import { scopesOf } from '../api-keys/rules';
import type { UserContext } from '../context';

/** An API key as the graph answers it: never its hash. */
const answer = (key: StoredApiKey) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scopes: scopesOf(key.scopes),
  createdAt: key.createdAt,
  lastUsedAt: key.lastUsedAt,
  revokedAt: key.revokedAt,
});

/** A key as a member who is not an OWNER sees it where it made something: its id and name, nothing else. */
interface NamedOnly {
  id: string;
  name: string;
  namedOnly: true;
}

const ownerOnly = (field: string) => (key: ReturnType<typeof answer> | NamedOnly) => {
  if ('namedOnly' in key) throw forbidden(`Only an OWNER of the business sees an API key's ${field}.`);
  return key[field as keyof typeof key];
};

/**
 * The key behind `PaymentRequest.createdByApiKey`: for its own machine
 * tokens and the business's OWNERs in full, for its other members by id and
 * name only (partners.md: a business's keys are listed to its OWNERs only);
 * to anyone else it does not exist.
 */
export const ApiKey = {
  async __resolveReference(reference: { id: string }, context: UserContext) {
    const key = await context.services.store.apiKey.findUnique({ where: { id: reference.id } });
    if (!key) return null;
    const { identity } = context;
    if (identity.kind === 'machine') return identity.businessId === key.businessId ? answer(key) : null;
    if (identity.kind !== 'user') return null;
    const role = await roleOf(context.services.store, key.businessId, identity.userId);
    if (role === 'OWNER') return answer(key);
    return role ? ({ id: key.id, name: key.name, namedOnly: true } satisfies NamedOnly) : null;
  },
  prefix: ownerOnly('prefix'),
  scopes: ownerOnly('scopes'),
  createdAt: ownerOnly('createdAt'),
  lastUsedAt: ownerOnly('lastUsedAt'),
  revokedAt: ownerOnly('revokedAt'),
};

export const ApiKeyMutations = {
  async createApiKey(_parent: unknown, args: { input: CreateApiKeyInput }, context: UserContext) {
    const { userId } = requireUser(context.identity);
    const { apiKey, secret } = await createApiKey(context.services, userId, args.input);
    return { apiKey: answer(apiKey), secret };
  },
  async revokeApiKey(_parent: unknown, args: { id: string }, context: UserContext) {
    const { userId } = requireUser(context.identity);
    return answer(await revokeApiKey(context.services, userId, args.id));
  },
};

export const Business = {
  __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
  async apiKeys(business: { id: string }, args: { first: number }, context: UserContext) {
    const { userId } = requireUser(context.identity);
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > 50) throw badUserInput('first must be 1 to 50.', 'first');
    const keys = await listApiKeys(context.services, userId, business.id, args.first);
    return { edges: keys.map((key) => ({ node: answer(key) })) };
  },
};
