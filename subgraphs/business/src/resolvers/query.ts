import { notFound } from '@harbour/errors';
import type { BusinessContext } from '../context';

export const Query = {
  async business(_parent: unknown, args: { id: string }, context: BusinessContext) {
    const business = await context.businesses.load(args.id);
    if (!business) throw notFound('Business');
    return business;
  },
};
