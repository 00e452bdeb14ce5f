import { forbidden, notFound } from '@harbour/errors';
import type { Business, BusinessStore } from '@harbour/prisma/business';
import { parseName } from '@harbour/server';
import { mayUpdateBusiness } from '../staff/permissions';
import { parseMerchantCategoryCode } from './validation';

export interface UpdateBusinessInput {
  businessId: string;
  name?: string | null;
  city?: string | null;
  merchantCategoryCode?: string | null;
}

/**
 * Changes the fields given (null or absent: unchanged), OWNER only. Payment
 * requests and shop QR codes made afterwards print the new name and city (the
 * payment subgraph asks for them fresh); those made before keep theirs.
 */
export async function updateBusiness(store: BusinessStore, actorId: string, input: UpdateBusinessInput): Promise<Business> {
  const data = {
    ...(input.name != null ? { name: parseName(input.name, { field: 'name', label: 'Business name', max: 25 }) } : {}),
    ...(input.city != null ? { city: parseName(input.city, { field: 'city', label: 'City', max: 15 }) } : {}),
    ...(input.merchantCategoryCode != null ? { merchantCategoryCode: parseMerchantCategoryCode(input.merchantCategoryCode) } : {}),
  };
  const membership = await store.membership.findUnique({ where: { businessId_userId: { businessId: input.businessId, userId: actorId } } });
  if (!membership) {
    if (!(await store.business.findUnique({ where: { id: input.businessId }, select: { id: true } }))) throw notFound('Business');
    throw forbidden('Only OWNERs of this business can change it.');
  }
  if (!mayUpdateBusiness(membership.role)) throw forbidden('Only OWNERs of this business can change it.');
  if (Object.keys(data).length === 0) return (await store.business.findUnique({ where: { id: input.businessId } }))!;
  return store.business.update({ where: { id: input.businessId }, data });
}
