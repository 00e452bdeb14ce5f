import { notFound } from '@harbour/errors';
import { requireUser } from '@harbour/server';
import type { UserContext } from '../context';
import { parsePhone } from '../domain/phone';

export const Query = {
  async me(_parent: unknown, _args: unknown, context: UserContext) {
    const { userId } = requireUser(context.identity);
    return context.users.load(userId);
  },
  async userByPhone(_parent: unknown, args: { phone: string }, context: UserContext) {
    requireUser(context.identity);
    const phone = parsePhone(args.phone);
    const user = await context.services.store.user.findUnique({ where: { phone } });
    if (!user) throw notFound('User');
    return user;
  },
};
