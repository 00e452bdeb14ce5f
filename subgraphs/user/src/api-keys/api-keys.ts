import { badUserInput, forbidden, notFound } from '@harbour/errors';
import type { ApiKey } from '@harbour/prisma/user';
import { newId } from '@harbour/server';
import type { UserServices } from '../services';
import { roleOf } from './business-roles';
import { checkName, checkScopes, MAX_ACTIVE_KEYS } from './rules';
import { newSecret, secretHash } from './secrets';

export interface CreateApiKeyInput {
  businessId: string;
  name: string;
  scopes: string[];
}

/** `missing`: what does not exist for someone outside the business (the business itself, or the key asked about). */
async function requireOwner(services: UserServices, businessId: string, userId: string, action: string, missing = 'Business'): Promise<void> {
  const role = await roleOf(services.store, businessId, userId);
  // To anyone outside the business it does not exist; inside it, only OWNERs may.
  if (!role) throw notFound(missing);
  if (role !== 'OWNER') throw forbidden(`Only an OWNER can ${action} the business's API keys.`);
}

/** An OWNER makes a key: the secret is answered here, once, and only its hash is kept. */
export async function createApiKey(services: UserServices, userId: string, input: CreateApiKeyInput): Promise<{ apiKey: ApiKey; secret: string }> {
  const name = checkName(input.name);
  const scopes = checkScopes(input.scopes);
  await requireOwner(services, input.businessId, userId, 'make');
  const active = await services.store.apiKey.count({ where: { businessId: input.businessId, revokedAt: null } });
  if (active >= MAX_ACTIVE_KEYS) throw badUserInput(`A business holds at most ${MAX_ACTIVE_KEYS} keys that are not revoked: revoke one first.`);
  const { secret, prefix } = newSecret(services.apiKeys.mode);
  const apiKey: ApiKey = {
    id: newId('apiKey'),
    businessId: input.businessId,
    name,
    prefix,
    secretHash: secretHash(secret, services.apiKeys.hashKey),
    mode: services.apiKeys.mode,
    scopes: scopes.join(' '),
    createdByUserId: userId,
    createdAt: new Date(),
    lastUsedAt: null,
    revokedAt: null,
    revokedByUserId: null,
  };
  await services.store.apiKey.create({ data: apiKey });
  return { apiKey, secret };
}

/**
 * An OWNER revokes a key: it stops issuing tokens at once, and its tokens
 * already issued are refused at every gateway within a second (the same
 * announcement as a log-out: a token's session is its key). Revoking twice
 * answers the first revocation.
 */
export async function revokeApiKey(services: UserServices, userId: string, id: string): Promise<ApiKey> {
  const key = await services.store.apiKey.findUnique({ where: { id } });
  if (!key) throw notFound('API key');
  await requireOwner(services, key.businessId, userId, 'revoke', 'API key');
  if (!key.revokedAt) {
    const now = new Date();
    await services.store.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now, revokedByUserId: userId } });
  }
  await services.revocations.announce(id);
  return services.store.apiKey.findUniqueOrThrow({ where: { id } });
}

/** The business's keys, newest first: for its OWNERs only. */
export async function listApiKeys(services: UserServices, userId: string, businessId: string, first: number): Promise<ApiKey[]> {
  await requireOwner(services, businessId, userId, 'see');
  return services.store.apiKey.findMany({ where: { businessId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: first });
}
