import { describeNotifier } from '@leadline/core/testing';
import { startReceiver } from '@leadline/webhook/testing';
import { slackNotifier } from '../src/index.js';

// Slack's incoming webhooks carry no idempotency header; the key travels in the message's fallback
// text, where a receiver (or a person) can dedupe by it.
describeNotifier('slack', {
  failures: true,
  async create() {
    let refuse: 'transient' | 'permanent' | undefined;
    const receiver = await startReceiver((_request, _attempt, response) => {
      const mode = refuse;
      refuse = undefined;
      response.statusCode = mode === 'transient' ? 503 : mode === 'permanent' ? 404 : 200;
      response.end(mode ? 'no_service' : 'ok');
    }, '/services/T000/B000/XXXX');
    return {
      notifier: slackNotifier({ webhookUrl: receiver.url }),
      received: async () =>
        receiver.received.map((request) => {
          const body = JSON.parse(request.body) as { text: string; blocks: unknown[] };
          return { idempotencyKey: /lead-1:e\d:0:[a-z]+/.exec(JSON.stringify(body))?.[0] ?? 'missing' };
        }),
      failNext: (mode) => {
        refuse = mode;
      },
      close: () => receiver.close(),
    };
  },
});
