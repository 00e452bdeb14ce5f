import { SignJWT } from 'jose';
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
});
