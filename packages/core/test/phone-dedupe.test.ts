import { contactKeysOf, createEngine, MemoryStore, normalizePhone, phoneRegionSchema, ValidationError } from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';
import { fullPolicies } from './policies.js';
import { asyncStore } from './stores.js';

const start = 'Mon 2026-03-02 09:00';

describe('normalizePhone and contactKeysOf', () => {
  it('writes a number any way it was written in E.164, with the default region for national numbers', () => {
    for (const written of ['+49 30 123456', '+49 (0)30 123456', '0049 30 123456', '+49-30-12 34 56', 'Tel: +49 30 123456 (office)']) {
      expect(normalizePhone(written, 'DE')).toBe('+4930123456');
    }
    expect(normalizePhone('030 123456', 'DE')).toBe('+4930123456');
    expect(normalizePhone('+49 30 123456')).toBe('+4930123456');
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    // A number with a country code keeps it whatever the default region.
    expect(normalizePhone('+44 20 7946 0958', 'DE')).toBe('+442079460958');
  });

  it('gives no number for text that is not a valid one, or a national number without a (known) region', () => {
    expect(normalizePhone('030 123456')).toBeUndefined();
    expect(normalizePhone('030 123456', 'XX')).toBeUndefined();
    expect(normalizePhone('030 123456', 'de')).toBeUndefined();
    for (const messy of ['n/a', '12', '', '---', '+'.repeat(40), '555-0100']) expect(normalizePhone(messy, 'US')).toBeUndefined();
  });

  it('keeps an extension: one switchboard, many people', () => {
    expect(normalizePhone('+49 30 123456 ext. 12', 'DE')).toBe('+4930123456;ext=12');
  });

  it('lists the email key, then the phone key', () => {
    expect(contactKeysOf({ email: ' Ada@Example.COM ', phone: '030 123456' }, 'DE')).toEqual(['email:ada@example.com', 'phone:+4930123456']);
    expect(contactKeysOf({ phone: '+49 30 123456' })).toEqual(['phone:+4930123456']);
    expect(contactKeysOf({ email: 'ada@example.com', phone: 'call reception' }, 'DE')).toEqual(['email:ada@example.com']);
    expect(contactKeysOf({}, 'DE')).toEqual([]);
  });

  it('reads a default region in either case, and refuses one the metadata does not know', () => {
    expect(phoneRegionSchema.parse(' de ')).toBe('DE');
    expect(phoneRegionSchema.safeParse('XX').success).toBe(false);
    expect(phoneRegionSchema.safeParse('DEU').success).toBe(false);
  });
});

describe('dedupe by phone at intake', () => {
  it('merges a second intake with the same phone written differently (+49 30 123456, then 030 123456 with region DE)', async () => {
    const t = createTimeline({ start, policies: fullPolicies, defaultRegion: 'DE' });
    const first = await t.captureResult({ source: 'content_download', contact: { name: 'Ada', phone: '+49 30 123456' } });
    await t.advance('1h');
    const second = await t.captureResult({ source: 'demo_request', contact: { name: 'Ada L.', phone: '030 123456' } });
    expect(second).toMatchObject({ leadId: first.leadId, outcome: 'merged' });
    expect(await t.engine.store.listLeads({ tenantId: 'default' })).toHaveLength(1);
    expect((await t.engine.store.load('default', first.leadId))?.contactKeys).toEqual(['phone:+4930123456']);
    await t.expectNote(first.leadId, /duplicate intake from demo_request merged into this lead/);
  });

  it('creates a new lead for a different phone', async () => {
    const t = createTimeline({ start, policies: fullPolicies, defaultRegion: 'DE' });
    const first = await t.captureResult({ source: 'web', contact: { phone: '+49 30 123456' } });
    const second = await t.captureResult({ source: 'web', contact: { phone: '030 654321' } });
    expect(second.outcome).toBe('created');
    expect(second.leadId).not.toBe(first.leadId);
  });

  it('still merges on the email when the phones differ or are missing', async () => {
    const t = createTimeline({ start, policies: fullPolicies, defaultRegion: 'DE' });
    const first = await t.captureResult({ source: 'web', contact: { email: 'ada@example.com', phone: '+49 30 123456' } });
    const byEmail = await t.captureResult({ source: 'chat', contact: { email: 'ADA@example.com', phone: '030 999999' } });
    const emailOnly = await t.captureResult({ source: 'event', contact: { email: 'ada@example.com' } });
    expect(byEmail).toMatchObject({ leadId: first.leadId, outcome: 'merged' });
    expect(emailOnly).toMatchObject({ leadId: first.leadId, outcome: 'merged' });
  });

  it('merges on the phone when the emails differ', async () => {
    const t = createTimeline({ start, policies: fullPolicies, defaultRegion: 'DE' });
    const first = await t.captureResult({ source: 'web', contact: { email: 'ada@work.example', phone: '030 123456' } });
    const second = await t.captureResult({ source: 'web', contact: { email: 'ada@home.example', phone: '+49 30 123456' } });
    expect(second).toMatchObject({ leadId: first.leadId, outcome: 'merged' });
  });

  it('merges into the oldest of two open leads when the email finds one and the phone the other', async () => {
    const t = createTimeline({ start, policies: fullPolicies, defaultRegion: 'DE' });
    const byPhone = await t.captureResult({ source: 'web', contact: { phone: '030 123456' } });
    await t.advance('1m');
    const byEmail = await t.captureResult({ source: 'web', contact: { email: 'ada@example.com' } });
    expect(byEmail.outcome).toBe('created');
    const both = await t.captureResult({ source: 'chat', contact: { email: 'ada@example.com', phone: '+49 30 123456' } });
    expect(both).toMatchObject({ leadId: byPhone.leadId, outcome: 'merged' });
  });

  it('without a default region, matches only numbers written with a country code', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const first = await t.captureResult({ source: 'web', contact: { phone: '+49 30 123456' } });
    const national = await t.captureResult({ source: 'web', contact: { phone: '030 123456' } });
    const international = await t.captureResult({ source: 'web', contact: { phone: '0049 30 123456' } });
    expect(national.outcome).toBe('created');
    expect((await t.engine.store.load('default', national.leadId))?.contactKeys).toBeUndefined();
    // 0049 is an international prefix only with a region to read it in: without one it is no number.
    expect(international.outcome).toBe('created');
    expect(first.outcome).toBe('created');
  });

  it('accepts a phone that is not a valid number, with no phone key', async () => {
    const t = createTimeline({ start, policies: fullPolicies, defaultRegion: 'DE' });
    const first = await t.captureResult({ source: 'web', contact: { email: 'bob@example.com', phone: 'ask for Bob' } });
    expect(first.outcome).toBe('created');
    expect((await t.engine.store.load('default', first.leadId))?.contactKeys).toEqual(['email:bob@example.com']);
    const again = await t.captureResult({ source: 'web', contact: { phone: 'ask for Bob' } });
    expect(again.outcome).toBe('created');
  });

  it('makes one lead of two simultaneous intakes of one person, one by email and phone, one by phone only', async () => {
    const { store } = asyncStore(new MemoryStore());
    const t = createTimeline({ start, policies: fullPolicies, defaultRegion: 'DE', store });
    const [a, b] = await Promise.all([
      t.captureResult({ source: 'web', contact: { email: 'ada@example.com', phone: '+49 30 123456' } }),
      t.captureResult({ source: 'chat', contact: { phone: '030 123456' } }),
    ]);
    expect([a?.outcome, b?.outcome]).toEqual(['created', 'merged']);
    expect(b?.leadId).toBe(a?.leadId);
  });

  it('creates a new lead once the earlier one is closed: a terminal lead holds no keys', async () => {
    const t = createTimeline({ start, policies: fullPolicies, defaultRegion: 'DE' });
    const first = await t.captureResult({ source: 'web', contact: { phone: '030 123456' } });
    await t.send(first.leadId, { type: 'lead.disqualified', reason: 'student' });
    expect((await t.engine.store.load('default', first.leadId))?.contactKeys).toBeUndefined();
    const again = await t.captureResult({ source: 'web', contact: { phone: '+49 30 123456' } });
    expect(again.outcome).toBe('created');
  });

  it('refuses a default region that is not a known ISO 3166-1 alpha-2 code', () => {
    expect(() => createEngine({ defaultRegion: 'XX' })).toThrow(ValidationError);
    expect(() => createEngine({ defaultRegion: 'Germany' })).toThrow(/defaultRegion/);
    expect(() => createEngine({ defaultRegion: 'de' })).not.toThrow();
  });
});
