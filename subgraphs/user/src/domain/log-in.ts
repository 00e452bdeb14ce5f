import { invalidCredentials, rateLimited } from '@harbour/errors';
import type { User } from '@harbour/prisma/user';
import type { UserServices } from '../services';
import { normalisePhone } from './phone';
import { startSession, type SessionTokens } from './start-session';

export interface LogInInput {
  phone: string;
  password: string;
}

/**
 * INVALID_CREDENTIALS for an unknown phone and a wrong password alike, in
 * about the same time. Each attempt is counted per number, in E.164, before
 * anything is looked up, so every way of writing a number (spaces,
 * full-width digits) shares its one count; past the limit it gets
 * RATE_LIMITED (`limit: "account"`), known or not, so the refusal tells
 * nothing about whether it has an account. Text that is no phone number
 * cannot have an account: it is not counted, but still costs a password's
 * time. A right password clears the count.
 */
export async function logIn(services: UserServices, input: LogInInput): Promise<SessionTokens & { user: User }> {
  const phone = normalisePhone(input.phone);
  if (phone) {
    const retryAfterSeconds = await services.loginFailures.attempt(phone);
    if (retryAfterSeconds > 0) throw rateLimited(retryAfterSeconds, 'account');
  }
  const user = phone ? await services.store.user.findUnique({ where: { phone } }) : null;
  if (!phone || !user) {
    await services.passwords.burn(input.password);
    throw invalidCredentials();
  }
  if (!(await services.passwords.verify(input.password, user.passwordHash))) throw invalidCredentials();
  await services.loginFailures.succeeded(phone);
  const tokens = await services.store.$transaction((tx) => startSession(tx, services, user.id));
  return { user, ...tokens };
}
