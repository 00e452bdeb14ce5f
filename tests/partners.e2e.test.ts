/**
 * Partner integration (contract part 4, partners.md), through the gateway on
 * the whole stack. So far: API keys — made, listed and revoked by the
 * business's OWNERs only (the user subgraph knows the roles from the
 * business subgraph's events), the secret shown once and kept only as its
 * keyed hash. Every operation verbatim from the contract.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ok, signUp, type Actor } from './support/actors';
import { connectToDatabase } from './support/database';
import { eventually } from './support/eventually';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

jest.setTimeout(120_000);

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ LOG_LEVEL: 'error' });
}, stackStartTimeout(60_000));

afterAll(async () => {
  await stack?.stop();
});

const codes = (response: { body: { errors?: Array<{ extensions?: { code?: unknown } }> } }) => (response.body.errors ?? []).map((error) => error.extensions?.code);

let shops = 0;
/** A business with an OWNER, a MANAGER and a CASHIER. */
async function shop(label = 'Partner') {
  const n = shops++;
  const [owner, manager, cashier] = await Promise.all(['Owner', 'Manager', 'Cashier'].map((name) => signUp(stack, `${label} ${name} ${n}`)));
  const businessId = ok(await owner!.run('RegisterBusiness', { input: { name: `${label} ${n}`, city: 'Kowloon' } })).registerBusiness.id as string;
  const memberships: Record<string, string> = {};
  for (const [actor, role] of [[manager!, 'MANAGER'], [cashier!, 'CASHIER']] as const) {
    memberships[role] = ok(await owner!.run('AddBusinessMember', { input: { businessId, phone: actor.phone, role } })).addBusinessMember.id;
  }
  return { businessId, owner: owner!, manager: manager!, cashier: cashier!, memberships };
}

/** The user subgraph learns of roles from events: the first key of a new business may wait for them (about a second). */
async function createKey(actor: Actor, input: Record<string, unknown>) {
  return eventually(
    () => actor.run('CreateApiKey', { input }),
    (answer) => expect(codes(answer)).not.toContain('NOT_FOUND'),
    10_000,
  );
}

async function userDb<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const db = await connectToDatabase(stack.env.USER_DATABASE_URL!);
  try {
    return (await db.query(sql, values)) as T[];
  } finally {
    await db.end();
  }
}

describe('API keys', () => {
  it('an OWNER makes a key: the secret once (256 random bits, hk_test_ in sandbox), kept only as its keyed hash', async () => {
    const s = await shop('Keys');
    const made = ok(await createKey(s.owner, { businessId: s.businessId, name: 'Front till', scopes: ['payments:read', 'payment_requests:write', 'payments:read'] })).createApiKey;
    expect(made.apiKey).toEqual({
      id: expect.stringMatching(/^key_[0-9A-HJKMNP-TV-Z]{26}$/),
      name: 'Front till',
      prefix: made.secret.slice(0, 12),
      scopes: ['payment_requests:write', 'payments:read'],
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(made.secret).toMatch(/^hk_test_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(made.secret.slice(8), 'base64url')).toHaveLength(32);

    // Stored: the HMAC-SHA256 of the secret under the stack's API_KEY_HASH_KEY, never the secret.
    const [row] = await userDb<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = ?', [made.apiKey.id]);
    expect(JSON.stringify(row)).not.toContain(made.secret.slice(12));
    const hashKey = Buffer.from(fs.readFileSync(path.join(stack.env.HARBOUR_DATA_DIR!, 'api-key-hash-key'), 'utf8'), 'base64');
    expect(row!.secret_hash).toBe(createHmac('sha256', hashKey).update(made.secret).digest('hex'));

    // Listed to OWNERs, newest first, without the secret.
    const second = ok(await s.owner.run('CreateApiKey', { input: { businessId: s.businessId, name: 'Web shop', scopes: ['statements:read'] } })).createApiKey;
    expect(second.secret).not.toBe(made.secret);
    const listed = ok(await s.owner.run('BusinessApiKeys', { id: s.businessId })).business.apiKeys.edges.map((edge: any) => edge.node);
    expect(listed).toEqual([second.apiKey, made.apiKey]);
    expect(JSON.stringify(listed)).not.toContain(made.secret);
  });

  it('OWNERs only; scopes from the list; a name of 1 to 50', async () => {
    const s = await shop('KeyRules');
    const input = { businessId: s.businessId, name: 'Till', scopes: ['payments:read'] };
    ok(await createKey(s.owner, input));
    expect(codes(await s.manager.run('CreateApiKey', { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await s.cashier.run('CreateApiKey', { input }))).toEqual(['FORBIDDEN']);
    const stranger = await signUp(stack, 'Key Stranger');
    expect(codes(await stranger.run('CreateApiKey', { input }))).toEqual(['NOT_FOUND']);
    expect(codes(await s.manager.run('BusinessApiKeys', { id: s.businessId }))).toEqual(['FORBIDDEN']);
    expect(codes(await stranger.run('BusinessApiKeys', { id: s.businessId }))).toEqual(['NOT_FOUND']);
    for (const [field, value] of [['scopes', []], ['scopes', ['payments:read', 'wallet:drain']], ['scopes', ['ledger:audit']], ['name', ' '], ['name', 'x'.repeat(51)]] as const) {
      const answer = await s.owner.run('CreateApiKey', { input: { ...input, [field]: value } });
      expect({ field, value, codes: codes(answer), named: answer.body.errors?.[0]?.extensions?.field }).toEqual({ field, value, codes: ['BAD_USER_INPUT'], named: field });
    }

    // A MANAGER made OWNER may; an OWNER removed may not (each within about a second, by the business subgraph's events).
    ok(await s.owner.run('ChangeBusinessMemberRole', { input: { membershipId: s.memberships.MANAGER, role: 'OWNER' } }));
    ok(await eventually(() => s.manager.run('CreateApiKey', { input }), (answer) => expect(codes(answer)).toEqual([]), 10_000));
    ok(await s.manager.run('RemoveBusinessMember', { membershipId: s.memberships.MANAGER }));
    await eventually(() => s.manager.run('CreateApiKey', { input }), (answer) => expect(codes(answer)).toEqual(['NOT_FOUND']), 10_000);
  });

  it('an OWNER revokes a key (again: the same answer); not another business, not a MANAGER; the key stays listed, revoked', async () => {
    const s = await shop('Revoke');
    const key = ok(await createKey(s.owner, { businessId: s.businessId, name: 'Old till', scopes: ['payments:read'] })).createApiKey.apiKey;
    const other = await shop('RevokeOther');
    await createKey(other.owner, { businessId: other.businessId, name: 'Theirs', scopes: ['payments:read'] });
    expect(codes(await other.owner.run('RevokeApiKey', { id: key.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await s.manager.run('RevokeApiKey', { id: key.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await s.owner.run('RevokeApiKey', { id: 'key_01JD0000000000000000000000' }))).toEqual(['NOT_FOUND']);
    const revoked = ok(await s.owner.run('RevokeApiKey', { id: key.id })).revokeApiKey;
    expect(revoked).toEqual({ id: key.id, revokedAt: expect.any(String) });
    expect(ok(await s.owner.run('RevokeApiKey', { id: key.id })).revokeApiKey).toEqual(revoked);
    const listed = ok(await s.owner.run('BusinessApiKeys', { id: s.businessId })).business.apiKeys.edges.map((edge: any) => edge.node);
    expect(listed).toEqual([{ ...key, revokedAt: revoked.revokedAt }]);
    const [row] = await userDb<{ revoked_by_user_id: string; created_by_user_id: string }>('SELECT revoked_by_user_id, created_by_user_id FROM api_keys WHERE id = ?', [key.id]);
    expect(row).toEqual({ revoked_by_user_id: s.owner.id, created_by_user_id: s.owner.id });
  });
});
