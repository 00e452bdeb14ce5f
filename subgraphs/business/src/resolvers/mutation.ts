import { requireUser } from '@harbour/server';
import type { BusinessContext } from '../context';
import { registerBusiness, type RegisterBusinessInput } from '../domain/register-business';

export const Mutation = {
  async registerBusiness(_parent: unknown, args: { input: RegisterBusinessInput }, context: BusinessContext) {
    const { userId } = requireUser(context.identity);
    const business = await registerBusiness(context.store, userId, args.input);
    context.eventsWritten();
    return business;
  },
};
