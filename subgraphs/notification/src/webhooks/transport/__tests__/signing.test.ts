/**
 * Signing per Standard Webhooks, checked by the reference verifier (the
 * `standardwebhooks` npm package) that the contract promises receivers can
 * use, and by the specification's published example.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret, signatureHeader, webhookHeaders } from '..';

const body = JSON.stringify({ id: 'evt_01', type: 'payment.completed', data: { amount: '12.50', note: 'café' } });
const now = () => Math.floor(Date.now() / 1000);

describe('newWebhookSecret', () => {
  it('is whsec_ followed by the base64 of 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe('signatureHeader', () => {
  it('matches the example in the Standard Webhooks specification', () => {
    const header = signatureHeader(
      ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(header).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('matches what the reference library signs', () => {
    const secret = newWebhookSecret();
    const timestamp = now();
    expect(signatureHeader([secret], 'evt_01', timestamp, body)).toBe(
      new Webhook(secret).sign('evt_01', new Date(timestamp * 1000), body),
    );
  });

  it('signs with each secret in order, space-separated', () => {
    const [older, newer] = [newWebhookSecret(), newWebhookSecret()];
    const timestamp = now();
    expect(signatureHeader([older, newer], 'evt_01', timestamp, body)).toBe(
      `${signatureHeader([older], 'evt_01', timestamp, body)} ${signatureHeader([newer], 'evt_01', timestamp, body)}`,
    );
  });

  it.each([
    ['no secrets', []],
    ['a secret without the whsec_ prefix', ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']],
    ['a secret with nothing after the prefix', ['whsec_']],
  ])('refuses to sign with %s', (_name, secrets) => {
    expect(() => signatureHeader(secrets, 'evt_01', now(), body)).toThrow(/secret/);
  });
});

describe('webhookHeaders, as a receiver verifies them', () => {
  it('carries the Standard Webhooks headers, the content type and our user agent', () => {
    const secret = newWebhookSecret();
    const timestamp = now();
    expect(webhookHeaders([secret], 'evt_01', timestamp, body)).toEqual({
      'webhook-id': 'evt_01',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader([secret], 'evt_01', timestamp, body),
      'content-type': 'application/json',
      'user-agent': 'Harbour-Webhooks/1.0',
    });
  });

  it('is accepted by the standardwebhooks verifier', () => {
    const secret = newWebhookSecret();
    const headers = webhookHeaders([secret], 'evt_01', now(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('during a rotation is accepted with either secret alone, and not with another', () => {
    const [older, newer, unrelated] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
    const headers = webhookHeaders([older, newer], 'evt_01', now(), body);

    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(older).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(newer).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(unrelated).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it('is refused by the verifier when the body, id or timestamp was tampered with', () => {
    const secret = newWebhookSecret();
    const timestamp = now();
    const headers = webhookHeaders([secret], 'evt_01', timestamp, body);
    const verifier = new Webhook(secret);

    expect(() => verifier.verify(body.replace('12.50', '99.50'), headers)).toThrow(WebhookVerificationError);
    expect(() => verifier.verify(body, { ...headers, 'webhook-id': 'evt_02' })).toThrow(WebhookVerificationError);
    expect(() => verifier.verify(body, { ...headers, 'webhook-timestamp': String(timestamp - 1) })).toThrow(
      WebhookVerificationError,
    );
  });
});
