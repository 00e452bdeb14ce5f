import { BusinessRole, type Business, type BusinessStore, type Membership } from '@harbour/prisma/business';

const ROLES: readonly BusinessRole[] = Object.values(BusinessRole);

interface Row {
  membership_id: string;
  business_id: string;
  user_id: string;
  role: string;
  membership_created_at: Date;
  name: string;
  city: string;
  merchant_category_code: string | null;
  owner_id: string;
  created_at: Date;
  updated_at: Date;
}

/**
 * A user's memberships with their businesses, newest membership first (then
 * by business id), in one statement. Prisma's `include` would read the
 * memberships and then the businesses: two round trips on every
 * `MyBusinesses`, where a managed MySQL is a network hop away. Read through
 * the (user_id, created_at) index; the join is by the businesses' primary key.
 */
export async function membershipsOfUser(store: BusinessStore, userId: string): Promise<Array<Membership & { business: Business }>> {
  const rows = await store.$queryRaw<Row[]>`
    SELECT m.id AS membership_id, m.business_id, m.user_id, m.role, m.created_at AS membership_created_at,
           b.name, b.city, b.merchant_category_code, b.owner_id, b.created_at, b.updated_at
    FROM memberships m
    JOIN businesses b ON b.id = m.business_id
    WHERE m.user_id = ${userId}
    ORDER BY m.created_at DESC, m.business_id DESC`;
  return rows.map((row) => {
    const role = ROLES.find((known) => known === row.role);
    // The column is an ENUM of exactly these; anything else is a schema drift, not a caller's mistake.
    if (!role) throw new Error(`memberships.role holds an unknown role ${JSON.stringify(row.role)} for business ${row.business_id}.`);
    return {
      id: row.membership_id,
      businessId: row.business_id,
      userId: row.user_id,
      role,
      createdAt: row.membership_created_at,
      business: {
        id: row.business_id,
        name: row.name,
        city: row.city,
        merchantCategoryCode: row.merchant_category_code,
        ownerId: row.owner_id,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      },
    };
  });
}
