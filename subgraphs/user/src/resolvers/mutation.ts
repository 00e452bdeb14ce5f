import { requireUser } from '@harbour/server';
import type { UserContext } from '../context';
import { logIn, type LogInInput } from '../domain/log-in';
import { logOut } from '../domain/log-out';
import { refreshSession } from '../domain/refresh-session';
import { signUp, type SignUpInput } from '../domain/sign-up';

/**
 * The user in a sign-up or log-in answer is the caller, who has just proved
 * it: their own fields answer though the request itself came without a token.
 */
const asSelf = <T extends { user: object }>(payload: T) => ({ ...payload, user: { ...payload.user, justAuthenticated: true } });

export const Mutation = {
  async signUp(_parent: unknown, args: { input: SignUpInput }, context: UserContext) {
    return asSelf(await signUp(context.services, args.input));
  },
  async logIn(_parent: unknown, args: { input: LogInInput }, context: UserContext) {
    return asSelf(await logIn(context.services, args.input));
  },
  refreshSession(_parent: unknown, args: { refreshToken: string }, context: UserContext) {
    return refreshSession(context.services, args.refreshToken);
  },
  logOut(_parent: unknown, _args: unknown, context: UserContext) {
    return logOut(context.services, requireUser(context.identity));
  },
};
