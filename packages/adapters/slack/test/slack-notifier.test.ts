import { ConfigError, type LeadBrief } from '@leadline/core';
import { type Answer, largeBodyAnswer, type Receiver, startReceiver } from '@leadline/webhook/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type SlackBlock, type SlackMessage, slackNotifier } from '../src/index.js';
import { breachNotification } from './notification.js';

let receiver: Receiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function slackReceiving(answer: Answer = (_request, _attempt, response) => response.writeHead(200).end('ok')): Promise<Receiver> {
  receiver = await startReceiver(answer, '/services/T000/B000/XXXX');
  return receiver;
}

function posted(hook: Receiver, index = 0): SlackMessage {
  const request = hook.received[index];
  expect(request?.method).toBe('POST');
  expect(request?.headers['content-type']).toBe('application/json');
  return JSON.parse(request?.body ?? '') as SlackMessage;
}

function ofType<T extends SlackBlock['type']>(message: SlackMessage, type: T): Extract<SlackBlock, { type: T }>[] {
  return message.blocks.filter((block): block is Extract<SlackBlock, { type: T }> => block.type === type);
}

describe('slackNotifier', () => {
  it('an SLA breach arrives as a header, the lead’s context, the deadline, the latest activity and a fallback text', async () => {
    const hook = await slackReceiving();
    const notification = breachNotification({
      lead: {
        ...(breachNotification().lead as LeadBrief),
        nextStep: { channel: 'call', dueAt: '2026-03-02T09:30:00Z', label: 'call #2' },
        activities: [
          { activity: 'visited /pricing', at: '2026-03-02T09:01:00Z' },
          { activity: 'downloaded pricing.pdf', at: '2026-03-02T08:55:00Z' },
        ],
      },
    });

    expect(await slackNotifier({ webhookUrl: hook.url }).deliver(notification)).toEqual({ status: 'delivered', detail: 'HTTP 200' });

    const message = posted(hook);
    expect(message.text).toBe('first_touch SLA breached at 2026-03-02T09:05Z for Ada Lovelace');
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context', 'section', 'context']);
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'SLA breached: Ada Lovelace (demo_request)', emoji: true } });
    expect(ofType(message, 'section')[0]?.fields).toEqual([
      { type: 'mrkdwn', text: '*Name*\nAda Lovelace' },
      { type: 'mrkdwn', text: '*Company*\nAnalytical Engines' },
      { type: 'mrkdwn', text: '*Source*\ndemo_request' },
      { type: 'mrkdwn', text: '*Campaign*\nspring-launch' },
    ]);
    const [deadlines, footer] = ofType(message, 'context');
    expect(deadlines?.elements.map((element) => element.text)).toEqual([
      ':alarm_clock: *first touch* due <!date^1772442300^{date_short_pretty} {time}|2026-03-02T09:05:00.000Z>, time left: 0m',
      ':arrow_right: Next step: call #2 (call) <!date^1772443800^{date_short_pretty} {time}|2026-03-02T09:30:00.000Z>',
    ]);
    expect(ofType(message, 'section')[1]?.text?.text).toBe(
      [
        '*Latest activity*',
        '• visited /pricing · <!date^1772442060^{date_short_pretty} {time}|2026-03-02T09:01:00.000Z>',
        '• downloaded pricing.pdf · <!date^1772441700^{date_short_pretty} {time}|2026-03-02T08:55:00.000Z>',
      ].join('\n'),
    );
    expect(footer?.elements).toEqual([{ type: 'mrkdwn', text: 'Lead lead-7 · assigned · owner ann · ref lead-7:e4:0:slack' }]);
  });

  it('escapes &, < and > in everything a lead provides, so a lead cannot page @channel or hide a link', async () => {
    const hook = await slackReceiving();
    const lead = {
      ...(breachNotification().lead as LeadBrief),
      name: '<!channel> <script>alert(1)</script>',
      company: 'Smith & <https://evil.example|Sons>',
      campaign: '<@U024BE7LH>',
      activities: [{ activity: 'filled <b>form</b> & left', at: '2026-03-02T08:55:00Z' }],
      sla: { name: 'first_touch', label: 'first touch <soon>', dueAt: 'whenever <now>', timeLeft: '<5m' },
    };
    const notification = breachNotification({ subject: 'New lead: <!channel>', text: 'New lead <!here> & more', lead });

    await slackNotifier({ webhookUrl: hook.url }).deliver(notification);

    const message = posted(hook);
    expect(message.text).toBe('New lead &lt;!here&gt; &amp; more');
    expect(message.blocks[0]).toMatchObject({ text: { text: 'New lead: &lt;!channel&gt;' } });
    expect(ofType(message, 'section')[0]?.fields?.map((field) => field.text)).toEqual([
      '*Name*\n&lt;!channel&gt; &lt;script&gt;alert(1)&lt;/script&gt;',
      '*Company*\nSmith &amp; &lt;https://evil.example|Sons&gt;',
      '*Source*\ndemo_request',
      '*Campaign*\n&lt;@U024BE7LH&gt;',
    ]);
    expect(ofType(message, 'context')[0]?.elements[0]?.text).toBe(':alarm_clock: *first touch &lt;soon&gt;* due whenever &lt;now&gt;, time left: &lt;5m');
    expect(ofType(message, 'section')[1]?.text?.text).toContain('• filled &lt;b&gt;form&lt;/b&gt; &amp; left');
    // The only raw control characters left are the ones this adapter writes itself: its date tokens.
    const raw = hook.received[0]?.body ?? '';
    expect(raw.replace(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^<>]+>/g, '')).not.toMatch(/[<>]/);
  });

  it('leaves out what the lead does not have: no deadline, no activity, no company', async () => {
    const hook = await slackReceiving();
    const notification = breachNotification({ kind: 'lead.assigned', lead: { leadId: 'lead-9', source: 'web', state: 'assigned', activities: [] } });

    await slackNotifier({ webhookUrl: hook.url }).deliver(notification);

    const message = posted(hook);
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context']);
    expect(ofType(message, 'section')[0]?.fields?.map((field) => field.text)).toEqual(['*Name*\nunknown', '*Source*\nweb']);
    expect(ofType(message, 'context')[0]?.elements).toEqual([{ type: 'mrkdwn', text: 'Lead lead-9 · assigned · ref lead-7:e4:0:slack' }]);
  });

  it('keeps every text within Slack’s limits, cutting between whole entities', async () => {
    const hook = await slackReceiving();
    const activities = Array.from({ length: 8 }, (_, index) => ({ activity: `visit ${index}`, at: '2026-03-02T08:00:00Z' }));
    const notification = breachNotification({
      subject: `${'&'.repeat(40)}${'x'.repeat(200)}`,
      text: 'y'.repeat(5000),
      lead: { ...(breachNotification().lead as LeadBrief), activities },
    });

    await slackNotifier({ webhookUrl: hook.url }).deliver(notification);

    const message = posted(hook);
    const header = ofType(message, 'header')[0]?.text.text ?? '';
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header).toMatch(/^(&amp;){29}…$/);
    expect(message.text).toHaveLength(3000);
    const activity = ofType(message, 'section')[1]?.text?.text ?? '';
    expect(activity.split('\n')).toHaveLength(1 + 5 + 1);
    expect(activity).toMatch(/_and 3 earlier_$/);
  });

  it('answers like Slack does: 404 no_service is permanent, 429 is retried after Retry-After, 500 is retried', async () => {
    const answers: Answer[] = [
      (_request, _attempt, response) => response.writeHead(404).end('no_service'),
      (_request, _attempt, response) => response.writeHead(429, { 'retry-after': '30' }).end('rate_limited'),
      (_request, _attempt, response) => response.writeHead(500).end('rollup_error'),
      (_request, _attempt, response) => response.writeHead(400).end('invalid_blocks'),
    ];
    const hook = await slackReceiving((request, attempt, response) => answers[attempt]?.(request, attempt, response));
    const slack = slackNotifier({ webhookUrl: hook.url });

    const results = [];
    for (let attempt = 0; attempt < answers.length; attempt++) results.push(await slack.deliver(breachNotification()));

    expect(results).toEqual([
      { status: 'failed', error: 'HTTP 404: no_service' },
      { status: 'retry', error: 'HTTP 429: rate_limited', retryAfterMs: 30_000 },
      { status: 'retry', error: 'HTTP 500: rollup_error' },
      { status: 'failed', error: 'HTTP 400: invalid_blocks' },
    ]);
  });

  it('a Slack that does not answer within timeoutMs is abandoned and retried', async () => {
    const hook = await slackReceiving((_request, _attempt, response) => new Promise<void>((resolve) => response.on('close', resolve)));
    expect(await slackNotifier({ webhookUrl: hook.url, timeoutMs: 150 }).deliver(breachNotification())).toEqual({
      status: 'retry',
      error: 'timed out after 150ms',
    });
  });

  it('never puts the webhook URL, a credential, in a delivery error', async () => {
    const fetch: typeof globalThis.fetch = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND hooks.slack.test'), { code: 'ENOTFOUND' }) });
    };
    const result = await slackNotifier({ webhookUrl: 'https://hooks.slack.test/services/T000/B000/SECRET', fetch }).deliver(breachNotification());
    expect(result).toEqual({ status: 'retry', error: 'network error: ENOTFOUND (getaddrinfo ENOTFOUND hooks.slack.test)' });
  });

  it('refuses a webhook URL that is not http(s), and works on the slack channel', () => {
    expect(() => slackNotifier({ webhookUrl: 'hooks.slack.com/services/x' })).toThrow(ConfigError);
    expect(() => slackNotifier({ webhookUrl: 'https://hooks.slack.com/services/x', timeoutMs: 0 })).toThrow(/timeoutMs: must be a positive number of ms/);
    expect(slackNotifier({ webhookUrl: 'https://hooks.slack.com/services/x' }).channel).toBe('slack');
  });
});

describe('a daily digest on Slack', () => {
  it('lists the leads under the header, escaped', async () => {
    const hook = await slackReceiving();
    const { lead: _lead, ...rest } = breachNotification();
    const digest = {
      ...rest,
      kind: 'daily.digest' as const,
      subject: 'Your leads on 2026-03-02: 2 open, 1 overdue',
      leads: [
        {
          leadId: 'l1',
          name: '<@channel>',
          company: 'ACME',
          source: 'demo_request',
          state: 'assigned',
          activities: [],
          sla: { name: 'first_touch', label: 'first touch within 5m', dueAt: '2026-03-02T09:05Z', timeLeft: 'overdue by 5m' },
        },
        { leadId: 'l2', source: 'web', state: 'working', activities: [] },
      ],
    };
    await slackNotifier({ webhookUrl: hook.url }).deliver(digest);
    const message = posted(hook);
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context']);
    const list = JSON.stringify(message.blocks[1]);
    expect(list).toContain('&lt;@channel&gt;');
    expect(list).toContain('overdue by 5m');
    expect(list).toContain('l2');
  });
});

describe('slackNotifier and a huge answer', () => {
  it('reads at most 4 KiB of a 500 with a 50 MB body, then lets the body go', async () => {
    const read = { bytes: 0, cancelled: false };
    const chunk = new Uint8Array(1024).fill(0x78);
    const fetch: typeof globalThis.fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              if (read.bytes >= 50 * 1024 * 1024) return controller.close();
              read.bytes += chunk.length;
              controller.enqueue(chunk.slice());
            },
            cancel() {
              read.cancelled = true;
            },
          },
          { highWaterMark: 0 },
        ),
        { status: 500 },
      );
    const result = await slackNotifier({ webhookUrl: 'https://hooks.slack.test/services/T000/B000/XXXX', fetch }).deliver(breachNotification());
    expect(result).toEqual({ status: 'retry', error: `HTTP 500: ${'x'.repeat(200)}...` });
    expect(read.bytes).toBeLessThanOrEqual(5 * 1024);
    expect(read.cancelled).toBe(true);
  });

  it('a Slack streaming a 50 MB error page has its connection closed long before the end', async () => {
    const large = largeBodyAnswer(500, 50 * 1024 * 1024);
    const hook = await slackReceiving(large.answer);
    const result = await slackNotifier({ webhookUrl: hook.url }).deliver(breachNotification());
    expect(result).toMatchObject({ status: 'retry' });
    const sent = await large.sent;
    expect(sent.complete).toBe(false);
    expect(sent.bytes).toBeLessThan(16 * 1024 * 1024);
  });
});
