import { badUserInput } from '@harbour/errors';
import type { ApiKey } from '@harbour/prisma/user';
import { requireUser } from '@harbour/server';
import { createApiKey, listApiKeys, revokeApiKey, type CreateApiKeyInput } from '../api-keys/api-keys';
import { scopesOf } from '../api-keys/rules';
import type { UserContext } from '../context';

/** An API key as the graph answers it: never its hash. */
const answer = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scopes: scopesOf(key.scopes),
  createdAt: key.createdAt,
  lastUsedAt: key.lastUsedAt,
  revokedAt: key.revokedAt,
});

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
