/**
 * Partner integration (contract part 4, partners.md), through the gateway on
 * the whole stack: API keys — made, listed and revoked by the business's
 * OWNERs only (the user subgraph knows the roles from the business
 * subgraph's events), the secret shown once and kept only as its keyed hash;
 * machine tokens from `POST /oauth/token` (RFC 6749 §4.4, errors as §5.2)
 * and what they may do through the graph, by scope and for their own
 * business only. Every operation verbatim from the contract.
 */
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { ok, signUp, type Actor } from './support/actors';
import { contractOperation } from './support/contract';
import { postGraphQL } from './support/graphql-client';
import { startSecondReplicas } from './support/second-replicas';
import { closeCodeWithin, liveClient } from './support/ws-client';
import { connectToDatabase } from './support/database';
import { eventually } from './support/eventually';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

jest.setTimeout(120_000);

let stack: RunningStack;

beforeAll(async () => {
  // A small per-client token limit, so that the test can reach it; each test uses its own keys.
  stack = await startStack({ LOG_LEVEL: 'error', GATEWAY_TOKEN_RATE_LIMIT_PER_CLIENT: '8' });
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

const base = () => stack.gatewayUrl.replace(/\/graphql$/, '');

/** POSTs to the token endpoint as a partner's server would (a form body; Basic credentials when given). */
async function tokenRequest(form: Record<string, string>, options: { basic?: [string, string]; contentType?: string; body?: string } = {}) {
  const response = await fetch(`${base()}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      ...(options.basic ? { authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.basic[0])}:${encodeURIComponent(options.basic[1])}`).toString('base64')}` } : {}),
    },
    body: options.body ?? new URLSearchParams(form).toString(),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

const ALL_SCOPES = ['payment_requests:write', 'payment_requests:read', 'payments:read', 'refunds:write', 'payment_links:write', 'statements:read'];

/** A key of the business and a token for it (client_secret_post), optionally narrowed to `scope`. */
async function machine(owner: Actor, businessId: string, scopes: string[] = ALL_SCOPES, scope?: string) {
  const { apiKey, secret } = ok(await createKey(owner, { businessId, name: 'Till', scopes })).createApiKey;
  const answer = await tokenRequest({ grant_type: 'client_credentials', client_id: apiKey.id, client_secret: secret, ...(scope ? { scope } : {}) });
  expect(answer.status).toBe(200);
  const token = answer.body.access_token as string;
  return { apiKey, secret, token, run: (operation: string, variables: Record<string, unknown> = {}) => postGraphQL(stack.gatewayUrl, contractOperation(operation), variables, { token }) };
}

describe('machine tokens (POST /oauth/token)', () => {
  it('issues an ES256 JWT for client_secret_basic and client_secret_post: sub and sid the key, biz the business, the scope asked', async () => {
    const s = await shop('Tokens');
    const { apiKey, secret } = ok(await createKey(s.owner, { businessId: s.businessId, name: 'Web shop', scopes: ['payments:read', 'payment_requests:read'] })).createApiKey;

    const basic = await tokenRequest({ grant_type: 'client_credentials' }, { basic: [apiKey.id, secret] });
    expect(basic.status).toBe(200);
    expect(basic.headers.get('cache-control')).toBe('no-store');
    expect(basic.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, scope: 'payment_requests:read payments:read' });

    const post = await tokenRequest({ grant_type: 'client_credentials', client_id: apiKey.id, client_secret: secret, scope: 'payments:read' });
    expect(post.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, scope: 'payments:read' });

    // Signed with the users' rotating keys, published at the gateway's JWKS that the metadata names.
    const metadata = await (await fetch(`${base()}/.well-known/oauth-authorization-server`)).json();
    expect(metadata).toMatchObject({
      issuer: 'harbour',
      token_endpoint: expect.stringMatching(/\/oauth\/token$/),
      jwks_uri: expect.stringMatching(/\/\.well-known\/jwks\.json$/),
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ALL_SCOPES,
    });
    const jwks = (await (await fetch(`${base()}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
    expect(decodeProtectedHeader(post.body.access_token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const { payload } = await jwtVerify(post.body.access_token, createLocalJWKSet(jwks), { issuer: 'harbour', audience: 'harbour-api' });
    expect(payload).toMatchObject({ sub: apiKey.id, sid: apiKey.id, client_id: apiKey.id, biz: s.businessId, scope: 'payments:read' });
    expect(payload.exp! - payload.iat!).toBe(900);

    // lastUsedAt: set by the first token, not moved by the second within the minute.
    const lastUsed = async () => (await userDb<{ last_used_at: Date | null }>('SELECT last_used_at FROM api_keys WHERE id = ?', [apiKey.id]))[0]!.last_used_at;
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await tokenRequest({ grant_type: 'client_credentials', client_id: apiKey.id, client_secret: secret });
    expect(await lastUsed()).toEqual(first);
    const listed = ok(await s.owner.run('BusinessApiKeys', { id: s.businessId })).business.apiKeys.edges[0].node;
    expect(listed.lastUsedAt).toBe(first!.toISOString());
  });

  it('answers RFC 6749 §5.2 errors to the letter, and limits token requests per client', async () => {
    const s = await shop('TokenErrors');
    const { apiKey, secret } = ok(await createKey(s.owner, { businessId: s.businessId, name: 'Till', scopes: ['payments:read'] })).createApiKey;
    const good = { grant_type: 'client_credentials', client_id: apiKey.id, client_secret: secret };
    const expectError = (answer: Awaited<ReturnType<typeof tokenRequest>>, status: number, error: string) => {
      expect({ status: answer.status, body: answer.body }).toEqual({ status, body: { error, error_description: expect.any(String) } });
      expect(answer.headers.get('cache-control')).toBe('no-store');
      if (error === 'invalid_client') expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    };
    expectError(await tokenRequest({ ...good, client_secret: `${secret}x` }), 401, 'invalid_client');
    expectError(await tokenRequest({ grant_type: 'client_credentials' }, { basic: [apiKey.id, 'hk_test_wrong'] }), 401, 'invalid_client');
    expectError(await tokenRequest({ ...good, client_id: 'key_01JD0000000000000000000000' }), 401, 'invalid_client');
    expectError(await tokenRequest({ grant_type: 'client_credentials' }), 401, 'invalid_client');
    expectError(await tokenRequest(good, { basic: [apiKey.id, secret] }), 400, 'invalid_request');
    expectError(await tokenRequest(good, { contentType: 'application/json', body: JSON.stringify(good) }), 400, 'invalid_request');
    expectError(await tokenRequest({ client_id: apiKey.id, client_secret: secret }), 400, 'invalid_request');
    expectError(await tokenRequest({}, { body: `${new URLSearchParams(good)}&grant_type=client_credentials` }), 400, 'invalid_request');
    expectError(await tokenRequest({ ...good, grant_type: 'password' }), 400, 'unsupported_grant_type');
    expectError(await tokenRequest({ ...good, scope: 'payments:read refunds:write' }), 400, 'invalid_scope');
    expectError(await tokenRequest({ ...good, scope: 'payments:read  ' }), 400, 'invalid_scope');
    const get = await fetch(`${base()}/oauth/token`);
    expect({ status: get.status, allow: get.headers.get('allow') }).toEqual({ status: 405, allow: 'POST' });

    // A revoked key gets no more tokens.
    const other = ok(await s.owner.run('CreateApiKey', { input: { businessId: s.businessId, name: 'Old', scopes: ['payments:read'] } })).createApiKey;
    ok(await s.owner.run('RevokeApiKey', { id: other.apiKey.id }));
    expectError(await tokenRequest({ grant_type: 'client_credentials', client_id: other.apiKey.id, client_secret: other.secret }), 401, 'invalid_client');

    // GATEWAY_TOKEN_RATE_LIMIT_PER_CLIENT is 8 here: 11 requests above were this key's, the next is refused before its secret is read.
    const limited = await tokenRequest(good);
    expect({ status: limited.status, error: limited.body.error, retryAfter: Number(limited.headers.get('retry-after')) }).toEqual({ status: 429, error: 'invalid_request', retryAfter: expect.any(Number) });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('machine principals through the graph', () => {
  it("a key's token runs the business's operations by scope: requests, payments, refunds, links, statements", async () => {
    const s = await shop('Machine');
    const m = await machine(s.owner, s.businessId);
    const customer = await signUp(stack, 'Machine Customer');
    ok(await customer.run('TopUpWallet', { input: { amount: '100.00', idempotencyKey: randomUUID() } }));

    const request = ok(await m.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '12.50', reference: 'ORDER-1', idempotencyKey: 'order-1' } })).createPaymentRequest;
    // The key's retry is the same request.
    expect(ok(await m.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '12.50', reference: 'ORDER-1', idempotencyKey: 'order-1' } })).createPaymentRequest.id).toBe(request.id);
    // Made by the key: createdBy null, createdByApiKey the key — its name to any member, its details to OWNERs only.
    const madeBy = `query($id: ID!) { paymentRequest(id: $id) { createdBy { id } createdByApiKey { id name } } }`;
    for (const member of [s.owner, s.manager]) {
      expect(ok(await stack.graphql(madeBy, { id: request.id }, { token: member.token })).paymentRequest).toEqual({ createdBy: null, createdByApiKey: { id: m.apiKey.id, name: 'Till' } });
    }
    const details = await stack.graphql(`query($id: ID!) { paymentRequest(id: $id) { createdByApiKey { id scopes } } }`, { id: request.id }, { token: s.manager.token });
    expect(codes(details)).toEqual(['FORBIDDEN']);

    const paid = ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } })).payPaymentRequest;
    expect(ok(await m.run('PartnerPaymentRequest', { id: request.id })).paymentRequest).toEqual({
      id: request.id,
      status: 'PAID',
      amount: { amount: '12.50', currencyCode: 'HKD' },
      reference: 'ORDER-1',
      expiresAt: expect.any(String),
      payment: { id: paid.id, status: 'COMPLETED' },
    });
    expect(ok(await m.run('PartnerPayment', { id: paid.id })).payment).toEqual({
      id: paid.id,
      status: 'COMPLETED',
      source: 'PAYMENT_REQUEST',
      amount: { amount: '12.50', currencyCode: 'HKD' },
      refundedAmount: { amount: '0.00', currencyCode: 'HKD' },
      reference: 'ORDER-1',
      completedAt: expect.any(String),
    });
    const listed = ok(await m.run('BusinessPayments', { id: s.businessId, first: 10 })).business.payments;
    expect(listed.edges.map((edge: any) => [edge.node.id, edge.node.createdBy])).toEqual([[paid.id, null]]);

    const refund = ok(await m.run('RefundPayment', { input: { paymentId: paid.id, amount: '2.50', idempotencyKey: randomUUID() } })).refundPayment;
    expect(refund.amount).toEqual({ amount: '2.50', currencyCode: 'HKD' });
    expect(ok(await m.run('PartnerPayment', { id: paid.id })).payment.status).toBe('PARTIALLY_REFUNDED');

    const second = ok(await m.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '3.00' } })).createPaymentRequest;
    expect(ok(await m.run('CancelPaymentRequest', { id: second.id })).cancelPaymentRequest.status).toBe('CANCELLED');

    const link = ok(await m.run('CreatePaymentLink', { input: { businessId: s.businessId, amount: '8.00', description: 'Online order' } })).createPaymentLink;
    expect(link).toMatchObject({ status: 'ACTIVE', amount: { amount: '8.00', currencyCode: 'HKD' } });

    const to = new Date(Date.now() - 60_000).toISOString();
    const from = new Date(Date.now() - 24 * 3600_000).toISOString();
    const asked = ok(await m.run('RequestStatement', { input: { businessId: s.businessId, from, to, format: 'CSV', idempotencyKey: 'stm-1' } })).requestStatement;
    expect(ok(await m.run('RequestStatement', { input: { businessId: s.businessId, from, to, format: 'CSV', idempotencyKey: 'stm-1' } })).requestStatement.id).toBe(asked.id);
    expect(ok(await m.run('Statement', { id: asked.id })).statement.id).toBe(asked.id);
  });

  it('its own business only; a missing scope names requiredScopes; nothing user-shaped', async () => {
    const s = await shop('MachineRules');
    const other = await shop('MachineOther');
    const m = await machine(s.owner, s.businessId);
    const reader = await machine(s.owner, s.businessId, ['payments:read']);
    const narrowed = await machine(s.owner, s.businessId, ALL_SCOPES, 'payment_requests:read');

    // Another business: FORBIDDEN, for its id and for its objects.
    expect(codes(await m.run('CreatePaymentRequest', { input: { businessId: other.businessId, amount: '1.00' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await m.run('BusinessPayments', { id: other.businessId, first: 5 }))).toEqual(['FORBIDDEN']);
    const theirs = ok(await other.owner.run('CreatePaymentRequest', { input: { businessId: other.businessId, amount: '1.00' } })).createPaymentRequest;
    expect(codes(await m.run('PartnerPaymentRequest', { id: theirs.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await m.run('CancelPaymentRequest', { id: theirs.id }))).toEqual(['FORBIDDEN']);

    // A scope the token lacks: FORBIDDEN with requiredScopes (a key's scope, or a token narrowed below it).
    for (const [client, operation, variables, scope] of [
      [reader, 'CreatePaymentRequest', { input: { businessId: s.businessId, amount: '1.00' } }, 'payment_requests:write'],
      [narrowed, 'CreatePaymentRequest', { input: { businessId: s.businessId, amount: '1.00' } }, 'payment_requests:write'],
      [reader, 'RequestStatement', { input: { businessId: s.businessId, from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() - 60_000).toISOString(), format: 'CSV' } }, 'statements:read'],
      [narrowed, 'BusinessPayments', { id: s.businessId, first: 5 }, 'payments:read'],
    ] as const) {
      const answer = await client.run(operation, variables);
      expect({ operation, codes: codes(answer), requiredScopes: answer.body.errors?.[0]?.extensions?.requiredScopes }).toEqual({ operation, codes: ['FORBIDDEN'], requiredScopes: [scope] });
    }

    // User-shaped operations: FORBIDDEN for a machine token (not UNAUTHENTICATED: it is a token, of the wrong kind).
    const request = ok(await m.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '1.00' } })).createPaymentRequest;
    for (const [operation, variables] of [
      ['Me', {}],
      ['TopUpWallet', { input: { amount: '5.00', idempotencyKey: randomUUID() } }],
      ['PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } }],
      ['SendMoney', { input: { toUserId: s.owner.id, amount: '1.00', idempotencyKey: randomUUID() } }],
      ['CreateApiKey', { input: { businessId: s.businessId, name: 'Self-made', scopes: ['payments:read'] } }],
    ] as const) {
      expect({ operation, codes: codes(await m.run(operation, variables)) }).toEqual({ operation, codes: ['FORBIDDEN'] });
    }
    // Subscriptions are for users: the socket is refused (4403 Forbidden).
    const live = liveClient(stack.gatewayUrl, m.token);
    expect(await closeCodeWithin(live, 10_000)).toBe(4403);
    await live.client.dispose();
  });

  it("revoking the key refuses its tokens on every gateway replica at once", async () => {
    const s = await shop('MachineRevoke');
    const m = await machine(s.owner, s.businessId, ['payment_requests:read', 'payment_requests:write']);
    const request = ok(await m.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '1.00' } })).createPaymentRequest;
    const replicas = await startSecondReplicas(stack);
    try {
      const gateways = [stack.gatewayUrl, replicas.gateway.url];
      const read = (url: string) => postGraphQL(url, contractOperation('PartnerPaymentRequest'), { id: request.id }, { token: m.token });
      // Both replicas have verified the token and remember its key as not revoked.
      for (const url of gateways) expect(ok(await read(url)).paymentRequest.id).toBe(request.id);
      ok(await s.owner.run('RevokeApiKey', { id: m.apiKey.id }));
      const revokedAt = Date.now();
      const refusedAfter = await Promise.all(
        gateways.map((url) =>
          eventually(() => read(url), (answer) => expect({ status: answer.status, codes: codes(answer) }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'] }), 3_000).then(() => Date.now() - revokedAt),
        ),
      );
      // partners.md asks for one second; the guard above is looser only so that a loaded CI machine cannot flake it.
      console.log(`machine token refused ${refusedAfter.join(' ms, ')} ms after the revocation answered (two gateway replicas)`);
    } finally {
      await replicas.stop();
    }
  });
});
