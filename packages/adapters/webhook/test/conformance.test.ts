import { describeNotifier } from '@leadline/core/testing';
import { startReceiver } from '@leadline/webhook/testing';
import { webhookNotifier } from '../src/index.js';

describeNotifier('webhook', {
  failures: true,
  async create() {
    let refuse: 'transient' | 'permanent' | undefined;
    const receiver = await startReceiver((_request, _attempt, response) => {
      const mode = refuse;
      refuse = undefined;
      response.statusCode = mode === 'transient' ? 503 : mode === 'permanent' ? 400 : 200;
      response.end();
    });
    return {
      notifier: webhookNotifier({ url: receiver.url, secret: 'conformance-secret' }),
      received: async () => receiver.received.map((request) => ({ idempotencyKey: String(request.headers['x-leadline-idempotency-key']) })),
      failNext: (mode) => {
        refuse = mode;
      },
      close: () => receiver.close(),
    };
  },
});
