import { describeNotifier } from '@leadline/core/testing';
import { smtpNotifier } from '../src/index.js';
import { startMailServer } from './mail-server.js';

describeNotifier('smtp', {
  failures: true,
  async create() {
    let refuse: 'transient' | 'permanent' | undefined;
    const mail = await startMailServer({
      checkRecipient: () => {
        const mode = refuse;
        refuse = undefined;
        if (mode === 'transient') return { code: 451, message: 'try again later' };
        if (mode === 'permanent') return { code: 550, message: 'no such user' };
        return undefined;
      },
    });
    const notifier = smtpNotifier({
      transport: { host: '127.0.0.1', port: mail.port, secure: false, ignoreTLS: true },
      from: 'alerts@leadline.test',
      addressOf: (rep) => `${rep}@acme.test`,
    });
    return {
      notifier,
      received: async () => mail.inbox.map((arrived) => ({ idempotencyKey: String(arrived.parsed.headers.get('x-leadline-idempotency-key')) })),
      failNext: (mode) => {
        refuse = mode;
      },
      close: async () => {
        notifier.close();
        await mail.close();
      },
    };
  },
});
