import { invalidCredentials, rateLimited } from '@harbour/errors';
import type { User } from '@harbour/prisma/user';
import type { UserServices } from '../services';
import { startSession, type SessionTokens } from './start-session';

export interface LogInInput {
  phone: string;
  password: string;
}

/** Longer than any E.164 number: no account can have it, so it is neither looked up nor counted. */
const MAX_PHONE_LENGTH = 16;

/**
 * INVALID_CREDENTIALS for an unknown phone and a wrong password alike, in
 * about the same time. Each attempt is counted per number before anything
 * is looked up; past the limit it gets RATE_LIMITED (`limit: "account"`),
 * known or not, so the refusal tells nothing about whether it has an
 * account. A right password clears the count.
 */
export async function logIn(services: UserServices, input: LogInInput): Promise<SessionTokens & { user: User }> {
  const plausible = input.phone.length <= MAX_PHONE_LENGTH;
  if (plausible) {
    const retryAfterSeconds = await services.loginFailures.attempt(input.phone);
    if (retryAfterSeconds > 0) throw rateLimited(retryAfterSeconds, 'account');
  }
  const user = plausible ? await services.store.user.findUnique({ where: { phone: input.phone } }) : null;
  if (!user) {
    await services.passwords.burn(input.password);
    throw invalidCredentials();
  }
  if (!(await services.passwords.verify(input.password, user.passwordHash))) throw invalidCredentials();
  await services.loginFailures.succeeded(input.phone);
  const tokens = await services.store.$transaction((tx) => startSession(tx, services, user.id));
  return { user, ...tokens };
}
