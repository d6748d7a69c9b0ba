import { ConfigError, MemoryAccountDirectory, MemoryRepDirectory, routingPolicy } from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const start = 'Mon 2026-03-02 09:00';

async function ownersOf(t: ReturnType<typeof createTimeline>, inputs: { source: string; territory?: string; segment?: string }[]) {
  const owners: (string | undefined)[] = [];
  for (const input of inputs) owners.push((await t.lead(await t.capture(input))).owner);
  return owners;
}

describe('routing policy', () => {
  it('takes each lead to the first pool its territory, segment and source match', async () => {
    const routing = routingPolicy({
      pools: [
        { name: 'dach_enterprise', when: { territory: ['DE', 'AT', 'CH'], segment: 'enterprise' }, reps: ['ann'] },
        { name: 'partners', when: { source: 'referral' }, reps: ['bob'] },
        { name: 'everyone_else', reps: ['cho'] },
      ],
    });
    const t = createTimeline({ start, policies: { routing } });
    expect(
      await ownersOf(t, [
        { source: 'web', territory: 'AT', segment: 'enterprise' },
        { source: 'web', territory: 'AT', segment: 'smb' },
        { source: 'referral', territory: 'FR' },
      ]),
    ).toEqual(['ann', 'cho', 'bob']);
    await t.expectNote('lead-1', /assigned to ann \(routing: dach_enterprise, round-robin: 0 open, 0 assigned before\)/);
  });

  it('round-robins evenly, and weighted round-robin by weight', async () => {
    const reps = new MemoryRepDirectory({ default: [{ id: 'ann', weight: 2 }, { id: 'bob' }, { id: 'cho' }] });
    const even = createTimeline({ start, reps, policies: { routing: routingPolicy({ pools: [{ name: 'all', reps: ['ann', 'bob', 'cho'] }] }) } });
    expect(
      await ownersOf(
        even,
        Array.from({ length: 6 }, () => ({ source: 'web' })),
      ),
    ).toEqual(['ann', 'bob', 'cho', 'ann', 'bob', 'cho']);
    const weighted = createTimeline({ start, reps, policies: { routing: routingPolicy({ pools: [{ name: 'all', reps: 'directory', method: 'weighted' }] }) } });
    const owners = await ownersOf(
      weighted,
      Array.from({ length: 8 }, () => ({ source: 'web' })),
    );
    expect(owners.filter((owner) => owner === 'ann')).toHaveLength(4);
    expect(owners.filter((owner) => owner === 'bob')).toHaveLength(2);
  });

  it('honours capacity caps and time off, and says whom it skipped', async () => {
    const reps = new MemoryRepDirectory({
      default: [{ id: 'ann', capacity: 1 }, { id: 'bob', timeOff: [{ from: '2026-03-01T00:00:00Z', to: '2026-03-07T00:00:00Z' }] }, { id: 'cho' }],
    });
    const t = createTimeline({ start, reps, policies: { routing: routingPolicy({ pools: [{ name: 'all', reps: 'directory', method: 'least_loaded' }] }) } });
    expect(await ownersOf(t, [{ source: 'web' }, { source: 'web' }, { source: 'web' }])).toEqual(['ann', 'cho', 'cho']);
    await t.expectNote('lead-2', /skipped ann \(at capacity 1\), bob \(time off\)/);
    await t.advance('7d'); // a week later bob is back
    expect(await ownersOf(t, [{ source: 'web' }])).toEqual(['bob']);
  });

  it('prefers reps whose working hours are open, and can require them', async () => {
    const reps = new MemoryRepDirectory({
      default: [
        { id: 'ann', calendar: 'apac' },
        { id: 'bob', calendar: 'emea' },
      ],
    });
    const calendars = { apac: { isOpen: () => false }, emea: { isOpen: () => true } };
    const prefer = createTimeline({ start, reps, policies: { routing: routingPolicy({ pools: [{ name: 'all', reps: 'directory' }] }, calendars) } });
    expect(await ownersOf(prefer, [{ source: 'web' }, { source: 'web' }])).toEqual(['bob', 'bob']);
    const closed = { apac: { isOpen: () => false }, emea: { isOpen: () => false } };
    const require = createTimeline({
      start,
      reps,
      policies: { routing: routingPolicy({ pools: [{ name: 'all', reps: 'directory' }], workingHours: 'require' }, closed) },
    });
    expect(await ownersOf(require, [{ source: 'web' }])).toEqual([undefined]);
    await require.expectState('lead-1', 'new');
  });

  it('gives the lead to the owner of the existing account', async () => {
    const accounts = new MemoryAccountDirectory({ default: [{ id: 'acc-7', domain: 'acme.com', name: 'ACME', owner: 'cho', customer: true }] });
    const routing = routingPolicy({ pools: [{ name: 'all', reps: ['ann', 'bob', 'cho'] }] });
    const t = createTimeline({ start, accounts, policies: { routing } });
    const lead = await t.capture({ source: 'web', contact: { email: 'ada@ACME.com' } });
    const view = await t.lead(lead);
    expect(view.owner).toBe('cho');
    expect(view.lead.account).toEqual({ id: 'acc-7', domain: 'acme.com', name: 'ACME', owner: 'cho', customer: true });
    await t.expectNote(lead, /assigned to cho \(routing: owner of customer ACME gets the lead\)/);
    // A webmail address says nothing about the company.
    expect((await t.lead(await t.capture({ source: 'web', contact: { email: 'ada@gmail.com' } }))).lead.account).toBeUndefined();
  });

  it('falls back to the pools when the account owner is away, and says so', async () => {
    const accounts = new MemoryAccountDirectory({ default: [{ id: 'acc-7', domain: 'acme.com', owner: 'cho' }] });
    const reps = new MemoryRepDirectory({ default: [{ id: 'ann' }, { id: 'cho', available: false }] });
    const t = createTimeline({ start, accounts, reps, policies: { routing: routingPolicy({ pools: [{ name: 'all', reps: 'directory' }] }) } });
    const lead = await t.capture({ source: 'web', contact: { email: 'ada@acme.com' } });
    expect((await t.lead(lead)).owner).toBe('ann');
    await t.expectNote(lead, /owner of account acme.com \(cho\) cannot take it; all, round-robin/);
  });

  it("routes a second intake of the same person to the open lead's owner when configured", async () => {
    const routing = routingPolicy({ pools: [{ name: 'all', reps: ['ann', 'bob'] }] });
    const t = createTimeline({ start, dedupe: 'route_to_owner', policies: { routing } });
    const first = await t.captureResult({ source: 'web', contact: { email: 'ada@example.com' } });
    const second = await t.captureResult({ source: 'chat', contact: { email: 'ada@example.com' } });
    expect(second.outcome).toBe('created');
    expect(second.leadId).not.toBe(first.leadId);
    expect((await t.lead(second.leadId)).owner).toBe((await t.lead(first.leadId)).owner);
    await t.expectNote(second.leadId, /owner of lead-1, an open lead of the same person gets the lead/);
  });

  it("refuses a bad configuration with each problem's path", () => {
    let error: unknown;
    try {
      routingPolicy({
        pools: [
          { name: 'A', reps: [] },
          { name: 'b', reps: ['x'], method: 'random' as never },
          { name: 'b', reps: ['y'] },
        ],
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.path.join('.'))).toEqual(
      expect.arrayContaining(['pools.0.name', 'pools.0.reps', 'pools.1.method']),
    );
  });
});

describe('routing by spare capacity', () => {
  it('picks the rep with the most room under their cap', async () => {
    const reps = new MemoryRepDirectory({
      default: [
        { id: 'ann', capacity: 3 },
        { id: 'bob', capacity: 10 },
        { id: 'cho', capacity: 5 },
      ],
    });
    const t = createTimeline({ start, reps, policies: { routing: routingPolicy({ pools: [{ name: 'all', reps: 'directory', method: 'spare_capacity' }] }) } });
    // bob has 10 free, then 9, ... until he is level with cho at 5.
    const owners = await ownersOf(
      t,
      Array.from({ length: 7 }, () => ({ source: 'web' })),
    );
    expect(owners).toEqual(['bob', 'bob', 'bob', 'bob', 'bob', 'bob', 'cho']);
    await t.expectNote('lead-7', /most spare capacity: 0 of 5 open/);
  });
});
