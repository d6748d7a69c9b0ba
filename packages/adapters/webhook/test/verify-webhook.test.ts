import { ConfigError } from '@leadline/core';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../src/index.js';

const secret = 'whsec_test_4f1c';
const body = '{"idempotencyKey":"lead-7:e4:0:webhook","kind":"sla.breached","lead":{"name":"Ada Lovelace"}}';
const now = Date.parse('2026-03-02T09:05:00Z');
const nowSeconds = now / 1000;

describe('verifyWebhook', () => {
  it('accepts a body signed with the secret a moment ago, as a string or as raw bytes', () => {
    const signatureHeader = signWebhook({ secret, body, timestamp: nowSeconds - 2 });
    expect(verifyWebhook({ secret, body, signatureHeader, now })).toEqual({ ok: true });
    expect(verifyWebhook({ secret, body: Buffer.from(body), signatureHeader, now })).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    const signatureHeader = signWebhook({ secret, body, timestamp: nowSeconds });
    const tampered = body.replace('sla.breached', 'lead.assigned');
    expect(verifyWebhook({ secret, body: tampered, signatureHeader, now })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a body signed with another secret', () => {
    const signatureHeader = signWebhook({ secret: 'whsec_attacker', body, timestamp: nowSeconds });
    expect(verifyWebhook({ secret, body, signatureHeader, now })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a genuine request replayed ten minutes later, and one claiming to come from the future', () => {
    const signedTenMinutesAgo = signWebhook({ secret, body, timestamp: nowSeconds - 600 });
    expect(verifyWebhook({ secret, body, signatureHeader: signedTenMinutesAgo, now })).toEqual({ ok: false, reason: 'stale' });
    const signedTenMinutesAhead = signWebhook({ secret, body, timestamp: nowSeconds + 600 });
    expect(verifyWebhook({ secret, body, signatureHeader: signedTenMinutesAhead, now })).toEqual({ ok: false, reason: 'stale' });
  });

  it('accepts a timestamp up to toleranceSeconds away (300 by default) and no further', () => {
    const at300 = signWebhook({ secret, body, timestamp: nowSeconds - 300 });
    const at301 = signWebhook({ secret, body, timestamp: nowSeconds - 301 });
    expect(verifyWebhook({ secret, body, signatureHeader: at300, now })).toEqual({ ok: true });
    expect(verifyWebhook({ secret, body, signatureHeader: at301, now })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook({ secret, body, signatureHeader: at300, now, toleranceSeconds: 60 })).toEqual({ ok: false, reason: 'stale' });
  });

  it('reports a tampered old request as a bad signature: an unsigned timestamp proves nothing', () => {
    const signatureHeader = signWebhook({ secret, body, timestamp: nowSeconds - 600 });
    expect(verifyWebhook({ secret, body: `${body} `, signatureHeader, now })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a forged timestamp on a genuine signature', () => {
    const genuine = signWebhook({ secret, body, timestamp: nowSeconds - 600 });
    const refreshed = genuine.replace(/^t=\d+/, `t=${nowSeconds}`);
    expect(verifyWebhook({ secret, body, signatureHeader: refreshed, now })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['a missing header', undefined],
    ['an empty header', ''],
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['no signature', `t=${nowSeconds}`],
    ['a signature that is not 64 hex characters', `t=${nowSeconds},v1=abc`],
    ['a timestamp that is not a number', `t=yesterday,v1=${'a'.repeat(64)}`],
    ['two timestamps', `t=${nowSeconds},t=${nowSeconds},v1=${'a'.repeat(64)}`],
    ['a part without =', `t=${nowSeconds},v1`],
  ])('calls %s malformed', (_case, signatureHeader) => {
    expect(verifyWebhook({ secret, body, signatureHeader, now })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts any one of several v1 signatures, so secrets can be rotated', () => {
    const timestamp = nowSeconds;
    const oldSecret = signWebhook({ secret: 'whsec_old', body, timestamp }).split(',')[1];
    const newSecret = signWebhook({ secret, body, timestamp }).split(',')[1];
    const signatureHeader = `t=${timestamp},${oldSecret},${newSecret},v2=from-the-future`;
    expect(verifyWebhook({ secret, body, signatureHeader, now })).toEqual({ ok: true });
    expect(verifyWebhook({ secret: 'whsec_other', body, signatureHeader, now })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('reads a header that node:http received twice', () => {
    const [t, v1] = signWebhook({ secret, body, timestamp: nowSeconds }).split(',');
    expect(verifyWebhook({ secret, body, signatureHeader: [t ?? '', v1 ?? ''], now })).toEqual({ ok: true });
  });

  it('refuses to verify without a secret', () => {
    expect(() => verifyWebhook({ secret: '', body, signatureHeader: 't=1,v1=00' })).toThrow(ConfigError);
  });
});
