import { formatSummaryTable, summarizeBy, summarizeLeads } from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';
import { fullPolicies } from './policies.js';

describe('lead summaries', () => {
  it('computes contact share, speed to lead, SLA breaches, touches and outcomes from the leads', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: fullPolicies });
    const fast = await t.capture({ source: 'demo_request' }); // 5m SLA
    const slow = await t.capture({ source: 'demo_request' });
    const never = await t.capture({ source: 'content_download' }); // 1h SLA
    await t.advance('2m');
    await t.touch(fast, 'call', 'connected');
    await t.advance('18m');
    await t.touch(slow, 'email', 'sent');
    await t.touch(slow, 'call', 'voicemail');
    await t.send(fast, { type: 'lead.converted' });
    await t.send(never, { type: 'lead.recycled', reason: 'timing' });
    const views = await Promise.all([fast, slow, never].map((id) => t.lead(id)));

    const summary = summarizeLeads(views);
    expect(summary).toMatchObject({
      leads: 3,
      contacted: 2,
      speedToLead: { medianMs: 2 * 60_000, p90Ms: 20 * 60_000 },
      slasEnded: 2,
      slaBreaches: 1,
      slaAttainment: 0.5,
      touchesPerLead: 1,
      touchedOnceShare: 0.5,
      recycled: 1,
      converted: 1,
    });
    expect(summary.contactedShare).toBeCloseTo(2 / 3);
    const bySource = summarizeBy(views, (view) => view.lead.source);
    expect([...bySource.keys()]).toEqual(['content_download', 'demo_request']);
    const table = formatSummaryTable([['all', summary], ...bySource]);
    expect(table.split('\n')).toHaveLength(4);
    expect(table).toMatch(/^all\s+3\s+67%\s+2m\s+20m\s+1\s+50%\s+1\.0\s+50%\s+1\s+0\s+1\s+0$/m);
  });

  it('copes with no leads', () => {
    expect(summarizeLeads([])).toMatchObject({ leads: 0, contactedShare: 0, speedToLead: { medianMs: undefined }, slaAttainment: undefined });
  });
});
