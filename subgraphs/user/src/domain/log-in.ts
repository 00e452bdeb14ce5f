import { invalidCredentials } from '@harbour/errors';
import type { User } from '@harbour/prisma/user';
import type { UserServices } from '../services';
import { startSession, type SessionTokens } from './start-session';

export interface LogInInput {
  phone: string;
  password: string;
}

/** INVALID_CREDENTIALS for an unknown phone and a wrong password alike, in about the same time. */
export async function logIn(services: UserServices, input: LogInInput): Promise<SessionTokens & { user: User }> {
  const user = input.phone.length <= 16 ? await services.store.user.findUnique({ where: { phone: input.phone } }) : null;
  if (!user) {
    await services.passwords.burn(input.password);
    throw invalidCredentials();
  }
  if (!(await services.passwords.verify(input.password, user.passwordHash))) throw invalidCredentials();
  const tokens = await services.store.$transaction((tx) => startSession(tx, services, user.id));
  return { user, ...tokens };
}
