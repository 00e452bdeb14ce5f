import { newId } from '@harbour/server';
import { createBusinessStore } from '@harbour/prisma/business';
import { createTestDatabase } from '@harbour/testing';
import { membershipsOfUser } from '../memberships-of-user';

type Store = ReturnType<typeof createBusinessStore>;

/** MyBusinesses' one statement on real MariaDB: the same rows, order and types as Prisma's `include` gives. */
describe('membershipsOfUser (real MariaDB)', () => {
  let database: { client: Store; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase('business', (url) => createBusinessStore(url));
  });
  afterAll(() => database?.drop());

  async function business(id: string, ownerId: string, merchantCategoryCode: string | null) {
    await database.client.business.create({ data: { id, name: `Shop ${id}`, city: 'Hong Kong', ownerId, merchantCategoryCode } });
  }

  it("lists a user's memberships with their businesses, newest first, ties by business id, as Prisma's include does", async () => {
    await business('biz_a', 'usr_ada', '5812');
    await business('biz_b', 'usr_bob', null);
    await business('biz_c', 'usr_bob', '5411');
    await business('biz_d', 'usr_bob', null);
    const at = (iso: string) => new Date(iso);
    await database.client.membership.createMany({
      data: [
        { id: newId('membership'), businessId: 'biz_a', userId: 'usr_ada', role: 'OWNER', createdAt: at('2026-12-01T10:00:00.001Z') },
        { id: newId('membership'), businessId: 'biz_b', userId: 'usr_ada', role: 'CASHIER', createdAt: at('2026-12-02T10:00:00.000Z') },
        { id: newId('membership'), businessId: 'biz_c', userId: 'usr_ada', role: 'CASHIER', createdAt: at('2026-12-02T10:00:00.000Z') }, // same instant as biz_b
        { id: newId('membership'), businessId: 'biz_b', userId: 'usr_bob', role: 'OWNER', createdAt: at('2026-12-01T09:00:00.000Z') },
        { id: newId('membership'), businessId: 'biz_d', userId: 'usr_bob', role: 'OWNER', createdAt: at('2026-12-03T09:00:00.000Z') }, // not Ada's
      ],
    });

    const mine = await membershipsOfUser(database.client, 'usr_ada');
    const prisma = await database.client.membership.findMany({
      where: { userId: 'usr_ada' },
      include: { business: true },
      orderBy: [{ createdAt: 'desc' }, { businessId: 'desc' }],
    });
    expect(mine.map((membership) => [membership.businessId, membership.role])).toEqual([
      ['biz_c', 'CASHIER'],
      ['biz_b', 'CASHIER'],
      ['biz_a', 'OWNER'],
    ]);
    expect(mine).toEqual(prisma);
    expect(mine[2]!.createdAt).toEqual(at('2026-12-01T10:00:00.001Z'));
    expect(mine[2]!.business.createdAt).toBeInstanceOf(Date);
    expect(mine[1]!.business.merchantCategoryCode).toBeNull();
  });

  it('is empty for a user with no memberships', async () => {
    expect(await membershipsOfUser(database.client, 'usr_nobody')).toEqual([]);
  });
});
