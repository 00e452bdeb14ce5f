/**
 * The identity and business operations of the contract, verbatim, through a
 * whole stack started the way `npm start` starts it; and the ways a caller
 * might get in without being who they say.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { commonConfig } from '@harbour/config';
import { IDENTITY_HEADER, loadIdentitySecret, loadSigningKey, signAccessToken, signIdentity } from '@harbour/identity';
import { phoneSpellings } from './support/actors';
import { contractOperation as op } from './support/contract';
import { errorCodes, postGraphQL } from './support/graphql-client';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

let stack: RunningStack;
let phoneCounter = 0;
const newPhone = () => `+8525${1_000_000 + phoneCounter++}`;
const PASSWORD = 'correct horse battery';

async function signUp(displayName = 'Ada Lau', phone = newPhone()) {
  const response = await stack.graphql(op('SignUp'), { input: { phone, displayName, password: PASSWORD } });
  expect(response.body.errors).toBeUndefined();
  return { phone, ...response.body.data!.signUp } as { phone: string; accessToken: string; refreshToken: string; user: { id: string; displayName: string; phone: string } };
}

beforeAll(async () => {
  stack = await startStack();
}, stackStartTimeout(120_000));

afterAll(async () => {
  await stack?.stop();
});

describe('sign-up, log-in and sessions', () => {
  it('SignUp returns tokens and the new user, with an opaque typed id', async () => {
    const phone = newPhone();
    const response = await stack.graphql(op('SignUp'), { input: { phone, displayName: 'Chan Tai Man', password: PASSWORD } });
    expect(response.status).toBe(200);
    const { accessToken, refreshToken, user } = response.body.data!.signUp;
    expect(accessToken.split('.')).toHaveLength(3);
    expect(refreshToken).toMatch(/^rt_/);
    expect(user).toEqual({ id: expect.stringMatching(/^usr_[0-9A-HJKMNP-TV-Z]{26}$/), displayName: 'Chan Tai Man', phone });
  });

  it('Me answers the caller, with a zero wallet before any money moved', async () => {
    const me = await signUp('Me Myself');
    const response = await stack.graphql(op('Me'), {}, { token: me.accessToken });
    expect(response.body).toEqual({
      data: { me: { id: me.user.id, displayName: 'Me Myself', phone: me.phone, wallet: { balance: { amount: '0.00', currencyCode: 'HKD' } } } },
    });
  });

  it('LogIn with the right password opens a new session', async () => {
    const me = await signUp('Log Inner');
    const response = await stack.graphql(op('LogIn'), { input: { phone: me.phone, password: PASSWORD } });
    expect(response.body.errors).toBeUndefined();
    const login = response.body.data!.logIn;
    expect(login.user).toEqual({ id: me.user.id, displayName: 'Log Inner' });
    const meAgain = await stack.graphql(op('Me'), {}, { token: login.accessToken });
    expect(meAgain.body.data!.me.id).toBe(me.user.id);
  });

  it('RefreshSession rotates; presenting the spent token again revokes the whole session', async () => {
    const me = await signUp('Rotator');
    const first = await stack.graphql(op('RefreshSession'), { refreshToken: me.refreshToken });
    expect(first.body.errors).toBeUndefined();
    const rotated = first.body.data!.refreshSession;
    expect(rotated.refreshToken).not.toBe(me.refreshToken);
    expect((await stack.graphql(op('Me'), {}, { token: rotated.accessToken })).body.data!.me.id).toBe(me.user.id);

    const reused = await stack.graphql(op('RefreshSession'), { refreshToken: me.refreshToken });
    expect(errorCodes(reused)).toEqual(['UNAUTHENTICATED']);
    expect(reused.body.data).toEqual({ refreshSession: null });

    // The thief's copy and the owner's current token are both dead now.
    const afterReuse = await stack.graphql(op('RefreshSession'), { refreshToken: rotated.refreshToken });
    expect(errorCodes(afterReuse)).toEqual(['UNAUTHENTICATED']);
    const meAfter = await stack.graphql(op('Me'), {}, { token: rotated.accessToken });
    expect(meAfter.status).toBe(401);
    expect(errorCodes(meAfter)).toEqual(['UNAUTHENTICATED']);
  });

  it('LogOut revokes the session: its access token gets HTTP 401, its refresh token nothing', async () => {
    const me = await signUp('Leaver');
    const out = await stack.graphql(op('LogOut'), {}, { token: me.accessToken });
    expect(out.body).toEqual({ data: { logOut: true } });
    const meAfter = await stack.graphql(op('Me'), {}, { token: me.accessToken });
    expect(meAfter.status).toBe(401);
    expect(errorCodes(meAfter)).toEqual(['UNAUTHENTICATED']);
    const refresh = await stack.graphql(op('RefreshSession'), { refreshToken: me.refreshToken });
    expect(errorCodes(refresh)).toEqual(['UNAUTHENTICATED']);
  });

  it('FindUserByPhone answers id and display name only; an unknown phone is NOT_FOUND', async () => {
    const target = await signUp('Findable');
    const me = await signUp('Finder');
    const found = await stack.graphql(op('FindUserByPhone'), { phone: target.phone }, { token: me.accessToken });
    expect(found.body).toEqual({ data: { userByPhone: { id: target.user.id, displayName: 'Findable' } } });
    const missing = await stack.graphql(op('FindUserByPhone'), { phone: '+85200000001' }, { token: me.accessToken });
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
    const anonymous = await stack.graphql(op('FindUserByPhone'), { phone: target.phone });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('businesses', () => {
  it('RegisterBusiness makes the caller its OWNER; MyBusinesses lists it with the role', async () => {
    const owner = await signUp('Shop Keeper');
    const registered = await stack.graphql(op('RegisterBusiness'), { input: { name: 'Lucky Noodles', city: 'Hong Kong', merchantCategoryCode: '5812' } }, { token: owner.accessToken });
    expect(registered.body.errors).toBeUndefined();
    const business = registered.body.data!.registerBusiness;
    expect(business).toEqual({ id: expect.stringMatching(/^biz_/), name: 'Lucky Noodles', city: 'Hong Kong', owner: { id: owner.user.id, displayName: 'Shop Keeper' } });

    const mine = await stack.graphql(op('MyBusinesses'), {}, { token: owner.accessToken });
    expect(mine.body).toEqual({ data: { me: { businesses: [{ id: business.id, name: 'Lucky Noodles', city: 'Hong Kong', role: 'OWNER' }] } } });
  });

  it("another user's phone, reached through business.owner, is null with FORBIDDEN; the rest still comes", async () => {
    const owner = await signUp('Private Owner');
    const stranger = await signUp('Stranger');
    const registered = await stack.graphql(op('RegisterBusiness'), { input: { name: 'Tea House', city: 'Kowloon' } }, { token: owner.accessToken });
    const id = registered.body.data!.registerBusiness.id;
    const query = 'query Owner($id: ID!) { business(id: $id) { id name owner { id displayName phone } role } }';
    const response = await stack.graphql(query, { id }, { token: stranger.accessToken });
    expect(response.body.data).toEqual({ business: { id, name: 'Tea House', owner: { id: owner.user.id, displayName: 'Private Owner', phone: null }, role: null } });
    expect(response.body.errors!.map((error) => [error.path!.join('.'), error.extensions!.code]).sort()).toEqual([
      ['business.owner.phone', 'FORBIDDEN'],
      ['business.role', 'FORBIDDEN'],
    ]);
    // Public fields need no token at all.
    const anonymous = await stack.graphql('query($id: ID!) { business(id: $id) { id name city owner { displayName } } }', { id });
    expect(anonymous.body).toEqual({ data: { business: { id, name: 'Tea House', city: 'Kowloon', owner: { displayName: 'Private Owner' } } } });
  });
});

describe('bad input gets the contract code', () => {
  it('a phone already taken is PHONE_TAKEN', async () => {
    const first = await signUp('First');
    const again = await stack.graphql(op('SignUp'), { input: { phone: first.phone, displayName: 'Second', password: PASSWORD } });
    expect(errorCodes(again)).toEqual(['PHONE_TAKEN']);
    expect(again.body.data).toEqual({ signUp: null });
  });

  it('a phone written another way is the same number: stored in E.164, PHONE_TAKEN, and logs in by any spelling', async () => {
    const phone = newPhone();
    const spellings = Object.entries(phoneSpellings(phone));
    const first = await signUp('Spelled', spellings[0]![1]);
    expect(first.user.phone).toBe(phone);
    for (const [label, spelling] of [['E.164', phone], ...spellings]) {
      const again = await stack.graphql(op('SignUp'), { input: { phone: spelling, displayName: 'Second', password: PASSWORD } });
      expect({ label, codes: errorCodes(again) }).toEqual({ label, codes: ['PHONE_TAKEN'] });
      const loggedIn = await stack.graphql(op('LogIn'), { input: { phone: spelling, password: PASSWORD } });
      expect({ label, user: loggedIn.body.data?.logIn?.user }).toEqual({ label, user: { id: first.user.id, displayName: 'Spelled' } });
    }
  });

  it('a wrong password and an unknown phone are both INVALID_CREDENTIALS', async () => {
    const me = await signUp('Careful');
    const wrong = await stack.graphql(op('LogIn'), { input: { phone: me.phone, password: 'not the password' } });
    const unknown = await stack.graphql(op('LogIn'), { input: { phone: '+85200000002', password: PASSWORD } });
    const noNumber = await stack.graphql(op('LogIn'), { input: { phone: `${me.phone}x`, password: PASSWORD } });
    expect(errorCodes(wrong)).toEqual(['INVALID_CREDENTIALS']);
    expect(errorCodes(unknown)).toEqual(['INVALID_CREDENTIALS']);
    expect(errorCodes(noNumber)).toEqual(['INVALID_CREDENTIALS']);
    expect(wrong.body.errors![0]!.message).toBe(unknown.body.errors![0]!.message);
    expect(noNumber.body.errors![0]!.message).toBe(unknown.body.errors![0]!.message);
  });

  it.each([
    ['a phone that is not E.164', { phone: '91234567', displayName: 'Someone', password: PASSWORD }],
    ['a phone with a letter in it', { phone: '+8529111000x', displayName: 'Someone', password: PASSWORD }],
    ['a phone of a length its country does not use', { phone: '+8529111000000', displayName: 'Someone', password: PASSWORD }],
    ['an empty display name', { phone: '+85291110000', displayName: '', password: PASSWORD }],
    ['a display name of 51 characters', { phone: '+85291110001', displayName: 'x'.repeat(51), password: PASSWORD }],
    ['a short password', { phone: '+85291110002', displayName: 'Someone', password: 'short' }],
  ])('SignUp with %s is BAD_USER_INPUT', async (_label, input) => {
    const response = await stack.graphql(op('SignUp'), { input });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it.each([
    ['a name over 25 characters', { name: 'N'.repeat(26), city: 'Hong Kong' }],
    ['an empty city', { name: 'Fine Name', city: ' ' }],
    ['a city over 15 characters', { name: 'Fine Name', city: 'C'.repeat(16) }],
    ['a merchant category code that is not 4 digits', { name: 'Fine Name', city: 'Hong Kong', merchantCategoryCode: '58A2' }],
  ])('RegisterBusiness with %s is BAD_USER_INPUT', async (_label, input) => {
    const me = await signUp('Input Tester');
    const response = await stack.graphql(op('RegisterBusiness'), { input }, { token: me.accessToken });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('tokens that must not get in', () => {
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const stackKey = () => loadSigningKey(commonConfig({ HARBOUR_DATA_DIR: stack.env.HARBOUR_DATA_DIR }), {});
  const audience = { issuer: 'harbour', audience: 'harbour-api' };

  it('Me without a token is UNAUTHENTICATED', async () => {
    const response = await stack.graphql(op('Me'));
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.data).toEqual({ me: null });
  });

  async function expect401(token: string) {
    const response = await stack.graphql(op('Me'), {}, { token });
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.data).toBeUndefined();
  }

  it('an expired token gets HTTP 401', async () => {
    const me = await signUp('Expired');
    const [, payload] = me.accessToken.split('.');
    const { sid } = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const sixteenMinutesAgo = new Date(Date.now() - 16 * 60_000);
    await expect401(await signAccessToken({ userId: me.user.id, sessionId: sid }, stackKey(), audience, sixteenMinutesAgo));
  });

  it('a token with alg "none" gets HTTP 401', async () => {
    const me = await signUp('Unsigned');
    const [header, payload] = me.accessToken.split('.');
    const { kid } = JSON.parse(Buffer.from(header!, 'base64url').toString());
    await expect401(`${base64url({ alg: 'none', kid, typ: 'at+jwt' })}.${payload}.`);
  });

  it('a token signed by another key (same kid) gets HTTP 401', async () => {
    const me = await signUp('Forger');
    const [, payload] = me.accessToken.split('.');
    const { sid } = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = await signAccessToken({ userId: me.user.id, sessionId: sid }, { kid: stackKey().kid, privateKey, publicKey }, audience);
    await expect401(forged);
  });

  it('a tampered token (another user id, original signature) gets HTTP 401', async () => {
    const victim = await signUp('Victim');
    const attacker = await signUp('Attacker');
    const [header, payload, signature] = attacker.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    await expect401(`${header}.${base64url({ ...claims, sub: victim.user.id })}.${signature}`);
  });

  it('an HS256 token signed with the public key, a wrong issuer or audience, and an unknown kid get HTTP 401', async () => {
    const me = await signUp('Confused Deputy');
    const [, payload] = me.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const key = stackKey();
    // The classic algorithm confusion: HMAC keyed with the public key's PEM.
    const publicPem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const hmacHeader = base64url({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' });
    const hmacSignature = createHmac('sha256', publicPem).update(`${hmacHeader}.${payload}`).digest('base64url');
    await expect401(`${hmacHeader}.${payload}.${hmacSignature}`);

    const signed = (header: object, body: object) => new SignJWT(body as never).setProtectedHeader(header as never).sign(key.privateKey);
    const header = { alg: 'ES256', kid: key.kid, typ: 'at+jwt' };
    await expect401(await signed(header, { ...claims, iss: 'someone-else' }));
    await expect401(await signed(header, { ...claims, aud: 'another-api' }));
    await expect401(await signed({ ...header, kid: 'no-such-key' }, claims));
    // The same claims with the real header are accepted: the refusals above are about what changed.
    const genuine = await stack.graphql(op('Me'), {}, { token: await signed(header, claims) });
    expect(genuine.body.data!.me.id).toBe(me.user.id);
  });

  it('a malformed Authorization header gets HTTP 401, never anonymous', async () => {
    await expect401('not-a-jwt');
    const response = await stack.graphql('{ __typename }', {}, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(response.status).toBe(401);
  });
});

describe('the subgraphs trust only signed identities', () => {
  const subgraphUrl = (name: string) => `http://127.0.0.1:${stack.ports[name]}/graphql`;

  it('a made-up user id header sent straight to a subgraph is refused', async () => {
    const victim = await signUp('Target');
    const madeUp: Array<Record<string, string>> = [{ 'x-user-id': victim.user.id }, { 'x-harbour-user-id': victim.user.id }, {}];
    for (const headers of madeUp) {
      const response = await postGraphQL(subgraphUrl('user'), '{ me { id phone } }', {}, { headers });
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('an identity signed with another secret is refused; the real secret is accepted', async () => {
    const victim = await signUp('Target Two');
    const identity = { kind: 'user' as const, userId: victim.user.id, sessionId: 'ses_forged' };
    const forged = await signIdentity(identity, new TextEncoder().encode('a'.repeat(48)), 'attacker');
    const refused = await postGraphQL(subgraphUrl('user'), '{ me { id phone } }', {}, { headers: { [IDENTITY_HEADER]: forged } });
    expect(refused.status).toBe(401);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);

    const realSecret = loadIdentitySecret(commonConfig({ HARBOUR_DATA_DIR: stack.env.HARBOUR_DATA_DIR }), {});
    const genuine = await signIdentity(identity, realSecret, 'gateway');
    const accepted = await postGraphQL(subgraphUrl('user'), '{ me { id phone } }', {}, { headers: { [IDENTITY_HEADER]: genuine } });
    expect(accepted.body).toEqual({ data: { me: { id: victim.user.id, phone: victim.phone } } });
  });

  it('errors never leak internals: an unknown field is a validation error, not a stack trace', async () => {
    const response = await stack.graphql('{ me { id secretColumn } }');
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|prisma|SELECT|127\.0\.0\.1/i);
  });
});
