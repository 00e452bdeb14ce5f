import { businessMembershipChanged, businessRegistered, createEvent, outboxRow } from '@harbour/events';
import type { Business, BusinessStore, Prisma } from '@harbour/prisma/business';
import { newId, parseName } from '@harbour/server';
import { parseMerchantCategoryCode } from './validation';

export interface RegisterBusinessInput {
  name: string;
  city: string;
  merchantCategoryCode?: string | null;
}

/** Registers a business with the caller as its first OWNER, in one transaction. */
export async function registerBusiness(store: BusinessStore, ownerId: string, input: RegisterBusinessInput): Promise<Business> {
  // Both are printed in the QR code (EMVCo 59/60 and 64), which is why they are short.
  const name = parseName(input.name, { field: 'name', label: 'Business name', max: 25 });
  const city = parseName(input.city, { field: 'city', label: 'City', max: 15 });
  const merchantCategoryCode = parseMerchantCategoryCode(input.merchantCategoryCode);
  const id = newId('business');
  return store.$transaction(async (tx) => {
    const business = await tx.business.create({ data: { id, name, city, merchantCategoryCode, ownerId } });
    await tx.membership.create({ data: { id: newId('membership'), businessId: id, userId: ownerId, role: 'OWNER', createdAt: business.createdAt } });
    const at = business.createdAt;
    const registered = createEvent(businessRegistered, {
      source: 'business',
      aggregateType: 'business',
      aggregateId: id,
      payload: { businessId: id, name, city, merchantCategoryCode, ownerUserId: ownerId, registeredAt: at.toISOString() },
      occurredAt: at,
    });
    const joined = createEvent(businessMembershipChanged, {
      source: 'business',
      aggregateType: 'business',
      aggregateId: id,
      payload: { businessId: id, businessName: name, userId: ownerId, change: 'ADDED', role: 'OWNER', previousRole: null, changedByUserId: ownerId, changedAt: at.toISOString() },
      occurredAt: at,
    });
    const rows = [outboxRow(registered), outboxRow(joined)].map((row) => ({ ...row, payload: row.payload as Prisma.InputJsonObject }));
    await tx.outboxEvent.createMany({ data: rows });
    return business;
  });
}
