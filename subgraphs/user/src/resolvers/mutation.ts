import { requireUser } from '@harbour/server';
import type { UserContext } from '../context';
import { logIn, type LogInInput } from '../domain/log-in';
import { logOut } from '../domain/log-out';
import { refreshSession } from '../domain/refresh-session';
import { signUp, type SignUpInput } from '../domain/sign-up';

export const Mutation = {
  signUp(_parent: unknown, args: { input: SignUpInput }, context: UserContext) {
    return signUp(context.services, args.input);
  },
  logIn(_parent: unknown, args: { input: LogInInput }, context: UserContext) {
    return logIn(context.services, args.input);
  },
  refreshSession(_parent: unknown, args: { refreshToken: string }, context: UserContext) {
    return refreshSession(context.services, args.refreshToken);
  },
  logOut(_parent: unknown, _args: unknown, context: UserContext) {
    return logOut(context.services, requireUser(context.identity));
  },
};
