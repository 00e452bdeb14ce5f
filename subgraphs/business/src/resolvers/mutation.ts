import { requireUser } from '@harbour/server';
import type { BusinessContext } from '../context';
import { registerBusiness, type RegisterBusinessInput } from '../domain/register-business';
import { updateBusiness, type UpdateBusinessInput } from '../domain/update-business';
import { addMember, changeMemberRole, removeMember, type AddMemberInput } from '../staff/members';

export const Mutation = {
  async registerBusiness(_parent: unknown, args: { input: RegisterBusinessInput }, context: BusinessContext) {
    const { userId } = requireUser(context.identity);
    const business = await registerBusiness(context.store, userId, args.input);
    context.eventsWritten();
    return business;
  },
  async updateBusiness(_parent: unknown, args: { input: UpdateBusinessInput }, context: BusinessContext) {
    const { userId } = requireUser(context.identity);
    return updateBusiness(context.store, userId, args.input);
  },
  async addBusinessMember(_parent: unknown, args: { input: AddMemberInput }, context: BusinessContext) {
    const { userId } = requireUser(context.identity);
    const membership = await addMember(context.store, context.users, userId, args.input, context.requestId);
    context.eventsWritten();
    return membership;
  },
  async changeBusinessMemberRole(_parent: unknown, args: { input: { membershipId: string; role: string } }, context: BusinessContext) {
    const { userId } = requireUser(context.identity);
    const membership = await changeMemberRole(context.store, userId, args.input);
    context.eventsWritten();
    return membership;
  },
  async removeBusinessMember(_parent: unknown, args: { membershipId: string }, context: BusinessContext) {
    const { userId } = requireUser(context.identity);
    const membership = await removeMember(context.store, userId, args.membershipId);
    context.eventsWritten();
    return membership.id;
  },
};
