import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, generateSecret, signatureHeaders } from '../src/delivery/signature.js';

/** A receiver's check written from the Standard Webhooks spec, independent of the signing code. */
function verify(secret: string, headers: Record<string, string>, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const content = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  const expected = createHmac('sha256', key).update(content).digest();
  return headers['webhook-signature']!.split(' ').some((entry) => {
    const [version, mac] = entry.split(',');
    if (version !== 'v1' || !mac) return false;
    const given = Buffer.from(mac, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const BODY = '{"eventId":42}';
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

describe('Standard Webhooks signature', () => {
  it('signs id.timestamp.body with the base64-decoded secret', () => {
    const headers = signatureHeaders('evt_42', BODY, { secret: SECRET, previousSecret: null, previousSecretExpiresAt: null }, NOW);
    expect(headers['webhook-id']).toBe('evt_42');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(NOW / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verify(SECRET, { ...headers }, BODY)).toBe(true);
    expect(verify(SECRET, { ...headers }, `${BODY} `)).toBe(false);
    expect(verify(OLD_SECRET, { ...headers }, BODY)).toBe(false);
  });

  it('matches the specification example', () => {
    // From the Standard Webhooks reference implementations' test vectors.
    expect(
      computeSignature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('keeps the id the same on every retry (it is the eventId)', () => {
    const secrets = { secret: SECRET, previousSecret: null, previousSecretExpiresAt: null };
    expect(signatureHeaders('evt_7', BODY, secrets, NOW)['webhook-id']).toBe(signatureHeaders('evt_7', BODY, secrets, NOW + 60_000)['webhook-id']);
  });

  it('signs with both secrets during a rotation grace period, only the new one after it', () => {
    const secrets = { secret: SECRET, previousSecret: OLD_SECRET, previousSecretExpiresAt: NOW + 1000 };
    const during = signatureHeaders('evt_42', BODY, secrets, NOW);
    expect(during['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(SECRET, { ...during }, BODY)).toBe(true);
    expect(verify(OLD_SECRET, { ...during }, BODY)).toBe(true);

    const after = signatureHeaders('evt_42', BODY, secrets, NOW + 1000);
    expect(after['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verify(OLD_SECRET, { ...after }, BODY)).toBe(false);
  });

  it('generates whsec_ secrets of 24 random bytes', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(24);
    expect(a).not.toBe(b);
  });
});
