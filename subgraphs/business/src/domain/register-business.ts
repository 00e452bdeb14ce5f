import type { Business, BusinessStore } from '@harbour/prisma/business';
import { newId } from '@harbour/server';
import { parseLine, parseMerchantCategoryCode } from './validation';

export interface RegisterBusinessInput {
  name: string;
  city: string;
  merchantCategoryCode?: string | null;
}

/** Registers a business with the caller as its first OWNER, in one transaction. */
export async function registerBusiness(store: BusinessStore, ownerId: string, input: RegisterBusinessInput): Promise<Business> {
  const name = parseLine(input.name, 'name', 'Business name', 25);
  const city = parseLine(input.city, 'city', 'City', 15);
  const merchantCategoryCode = parseMerchantCategoryCode(input.merchantCategoryCode);
  const id = newId('business');
  return store.$transaction(async (tx) => {
    const business = await tx.business.create({ data: { id, name, city, merchantCategoryCode, ownerId } });
    await tx.membership.create({ data: { businessId: id, userId: ownerId, role: 'OWNER', createdAt: business.createdAt } });
    return business;
  });
}
