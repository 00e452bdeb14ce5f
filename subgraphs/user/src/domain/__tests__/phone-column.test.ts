import { createUserStore, type UserStore } from '@harbour/prisma/user';
import { createTestDatabase } from '@harbour/testing';

/** `users.phone` on real MariaDB, migrated: one spelling per number, matched exactly. */
describe('users.phone', () => {
  let database: { client: UserStore; drop: () => Promise<void> };
  const store = () => database.client;
  const user = (id: string, phone: string) => store().user.create({ data: { id, phone, displayName: id, passwordHash: 'x' } });

  beforeAll(async () => {
    database = await createTestDatabase('user', (url) => createUserStore(url));
    await user('usr_stored', '+85291234567');
  });
  afterAll(() => database?.drop());

  it.each([
    ['full-width digits and plus', '＋８５２９１２３４５６７'],
    ['full-width digits', '+８５２９１２３４５６７'],
    ['a full-width plus', '＋85291234567'],
  ])('finds no user by another spelling of a stored number: %s', async (_label, spelling) => {
    expect(await store().user.findUnique({ where: { phone: spelling } })).toBeNull();
    expect(await store().user.findUnique({ where: { phone: '+85291234567' } })).toMatchObject({ id: 'usr_stored' });
  });

  it.each([
    ['spaces inside', '+852 9123 4567'],
    ['a trailing space', '+85291234567 '],
    ['full-width digits', '+８５２９１２３４５６８'],
    ['no plus', '85291234568'],
  ])('stores nothing but the E.164 shape: not %s', async (_label, phone) => {
    await expect(user('usr_unshaped', phone)).rejects.toThrow(/users_phone_e164/);
    expect(await store().user.count()).toBe(1);
  });
});
