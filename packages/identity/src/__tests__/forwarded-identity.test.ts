import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { signIdentity, verifyIdentity } from '../forwarded-identity';

const secret = new TextEncoder().encode('s'.repeat(48));
const otherSecret = new TextEncoder().encode('t'.repeat(48));

describe('the identity the gateway forwards to subgraphs', () => {
  it('round-trips each kind of identity', async () => {
    for (const identity of [
      { kind: 'anonymous' as const },
      { kind: 'user' as const, userId: 'usr_1', sessionId: 'ses_1' },
      { kind: 'service' as const, service: 'payment' as const },
    ]) {
      expect(await verifyIdentity(await signIdentity(identity, secret, 'gateway'), secret)).toEqual(identity);
    }
  });

  it('refuses a missing header, another secret, a tampered payload and an expired token', async () => {
    const token = await signIdentity({ kind: 'user', userId: 'usr_1', sessionId: 'ses_1' }, secret, 'gateway');
    expect(await verifyIdentity(undefined, secret)).toBeNull();
    expect(await verifyIdentity(token, otherSecret)).toBeNull();
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    claims.identity.userId = 'usr_2';
    expect(await verifyIdentity(`${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`, secret)).toBeNull();
    const expired = await new SignJWT({ identity: { kind: 'anonymous' } })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('harbour-internal')
      .setAudience('harbour-subgraph')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret);
    expect(await verifyIdentity(expired, secret)).toBeNull();
  });

  it('refuses a well-signed token whose identity is not one of the known shapes', async () => {
    const odd = await new SignJWT({ identity: { kind: 'admin', userId: 'usr_1' } })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('harbour-internal')
      .setAudience('harbour-subgraph')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(secret);
    expect(await verifyIdentity(odd, secret)).toBeNull();
  });

  it('is a standard HS256 JWT that jose verifies, with the claims the subgraphs check', async () => {
    const token = await signIdentity({ kind: 'user', userId: 'usr_9', sessionId: 'ses_9' }, secret, 'gateway');
    const { payload, protectedHeader } = await jwtVerify(token, secret, { algorithms: ['HS256'], issuer: 'harbour-internal', audience: 'harbour-subgraph' });
    expect(protectedHeader).toEqual({ alg: 'HS256' });
    expect(payload).toMatchObject({ identity: { kind: 'user', userId: 'usr_9', sessionId: 'ses_9' }, by: 'gateway' });
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it('reuses a signed identity for 30 seconds, then signs a new one', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-22T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const identity = { kind: 'user' as const, userId: 'usr_reuse', sessionId: 'ses_reuse' };
      const first = await signIdentity(identity, secret, 'gateway');
      jest.setSystemTime(new Date('2026-11-22T10:00:29Z'));
      expect(await signIdentity(identity, secret, 'gateway')).toBe(first);
      expect(await signIdentity(identity, secret, 'payment')).not.toBe(first);
      expect(await signIdentity({ ...identity, sessionId: 'ses_other' }, secret, 'gateway')).not.toBe(first);
      jest.setSystemTime(new Date('2026-11-22T10:00:30Z'));
      const second = await signIdentity(identity, secret, 'gateway');
      expect(second).not.toBe(first);
      // The first is still valid (60 s) where it is already in flight.
      expect(await verifyIdentity(first, secret)).toEqual(identity);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a header it verified before once it has expired, and never takes it under another secret', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-22T11:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const identity = { kind: 'user' as const, userId: 'usr_exp', sessionId: 'ses_exp' };
      const token = await signIdentity(identity, secret, 'gateway');
      expect(await verifyIdentity(token, secret)).toEqual(identity);
      expect(await verifyIdentity(token, otherSecret)).toBeNull();
      jest.setSystemTime(new Date('2026-11-22T11:00:59Z'));
      expect(await verifyIdentity(token, secret)).toEqual(identity);
      jest.setSystemTime(new Date('2026-11-22T11:01:00Z'));
      expect(await verifyIdentity(token, secret)).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses another algorithm, extra header parameters, a wrong issuer or audience, and garbage', async () => {
    const token = await signIdentity({ kind: 'anonymous' }, secret, 'gateway');
    const [, payload] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    expect(await verifyIdentity(none, secret)).toBeNull();
    const critInput = `${Buffer.from(JSON.stringify({ alg: 'HS256', crit: ['x-harbour'] })).toString('base64url')}.${payload}`;
    const crit = `${critInput}.${createHmac('sha256', secret).update(critInput).digest('base64url')}`;
    expect(await verifyIdentity(crit, secret)).toBeNull();
    for (const [issuer, audience] of [
      ['someone-else', 'harbour-subgraph'],
      ['harbour-internal', 'someone-else'],
    ]) {
      const wrong = await new SignJWT({ identity: { kind: 'anonymous' } })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(issuer!)
        .setAudience(audience!)
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(secret);
      expect(await verifyIdentity(wrong, secret)).toBeNull();
    }
    const typed = await new SignJWT({ identity: { kind: 'anonymous' } })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('harbour-internal')
      .setAudience('harbour-subgraph')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(secret);
    expect(await verifyIdentity(typed, secret)).toEqual({ kind: 'anonymous' });
    for (const garbage of ['', 'a.b', 'a.b.c', '%%%.%%%.%%%', `${token}.x`, `${token.slice(0, -2)}AA`]) {
      expect(await verifyIdentity(garbage, secret)).toBeNull();
    }
  });
});
