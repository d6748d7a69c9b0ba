import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { ConfigError, type Notification } from '@leadline/core';
import { createTransport } from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { messageIdOf, type SmtpNotifier, smtpNotifier } from '../src/index.js';
import { type MailServer, startMailServer } from './mail-server.js';

let server: MailServer | undefined;
const notifiers: SmtpNotifier[] = [];

afterEach(async () => {
  for (const notifier of notifiers.splice(0)) notifier.close();
  await server?.close();
  server = undefined;
});

const from = 'Leadline <alerts@leadline.test>';
const team: Record<string, string> = { maria: 'maria@acme.test', ann: 'ann@acme.test' };

async function mailServer(options: Parameters<typeof startMailServer>[0] = {}): Promise<MailServer> {
  server = await startMailServer(options);
  return server;
}

function notifierFor(mail: MailServer, addressOf: ((recipient: string) => string | undefined) | undefined = (rep) => team[rep]): SmtpNotifier {
  // Plain SMTP on the loopback, no STARTTLS: what matters here is what arrives.
  const notifier = smtpNotifier({ transport: { host: '127.0.0.1', port: mail.port, secure: false, ignoreTLS: true }, from, addressOf });
  notifiers.push(notifier);
  return notifier;
}

/** What core's templates do: values escaped into the HTML. Rendering is core's job; this fixture only mimics it. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function breachEmail(name = 'Ada Lovelace', overrides: Partial<Notification> = {}): Notification {
  return {
    idempotencyKey: 'lead-7:e4:0:email',
    kind: 'sla.breached',
    channel: 'email',
    to: ['maria'],
    subject: `SLA breached: ${name}`,
    text: `first_touch SLA breached at 2026-03-02T09:05Z for ${name} (demo_request)`,
    html: `<p>first_touch SLA breached at 2026-03-02T09:05Z for <strong>${escapeHtml(name)}</strong> (demo_request)</p>`,
    lead: { leadId: 'lead-7', name, source: 'demo_request', state: 'assigned', owner: 'ann', activities: [] },
    createdAt: '2026-03-02T09:05:00Z',
    ...overrides,
  };
}

describe('smtpNotifier', () => {
  it('an SLA breach arrives at the manager with subject, text and HTML parts and the idempotency key header', async () => {
    const mail = await mailServer();

    const result = await notifierFor(mail).deliver(breachEmail());

    expect(result).toMatchObject({ status: 'delivered', detail: expect.stringMatching(/^250 /) });
    expect(mail.inbox).toHaveLength(1);
    const [arrived] = mail.inbox;
    expect(arrived?.from).toBe('alerts@leadline.test');
    expect(arrived?.to).toEqual(['maria@acme.test']);
    expect(arrived?.parsed.subject).toBe('SLA breached: Ada Lovelace');
    expect(arrived?.parsed.text?.trim()).toBe('first_touch SLA breached at 2026-03-02T09:05Z for Ada Lovelace (demo_request)');
    expect(arrived?.parsed.html).toBe('<p>first_touch SLA breached at 2026-03-02T09:05Z for <strong>Ada Lovelace</strong> (demo_request)</p>');
    expect(arrived?.parsed.headers.get('x-leadline-idempotency-key')).toBe('lead-7:e4:0:email');
    expect(arrived?.parsed.messageId).toBe(messageIdOf('lead-7:e4:0:email', from));
    expect(arrived?.parsed.messageId).toMatch(/^<leadline\.[0-9a-f]{32}@leadline\.test>$/);
  });

  it('a lead named <script>alert(1)</script> arrives escaped in the HTML part, and as plain words in the text part', async () => {
    const mail = await mailServer();

    await notifierFor(mail).deliver(breachEmail('<script>alert(1)</script>'));

    const parsed = mail.inbox[0]?.parsed;
    expect(parsed?.html).toContain('<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>');
    expect(parsed?.html).not.toContain('<script>');
    expect(parsed?.text).toContain('for <script>alert(1)</script> (demo_request)');
    expect(parsed?.subject).toBe('SLA breached: <script>alert(1)</script>');
  });

  it('a redelivery after a crash is the same email: same Message-ID, same key', async () => {
    const mail = await mailServer();
    const email = notifierFor(mail);

    await email.deliver(breachEmail());
    await email.deliver(breachEmail());
    await email.deliver(breachEmail('Ada Lovelace', { idempotencyKey: 'lead-7:e5:0:email' }));

    const ids = mail.inbox.map((arrived) => arrived.parsed.messageId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(mail.inbox.map((arrived) => arrived.parsed.headers.get('x-leadline-idempotency-key'))).toEqual([
      'lead-7:e4:0:email',
      'lead-7:e4:0:email',
      'lead-7:e5:0:email',
    ]);
  });

  it('a 4xx reply (mailbox busy, greylisting) asks for a retry', async () => {
    const mail = await mailServer({ checkRecipient: () => ({ code: 451, message: 'Greylisted, try again later' }) });
    const result = await notifierFor(mail).deliver(breachEmail());
    expect(result).toMatchObject({ status: 'retry', error: expect.stringMatching(/^SMTP 451 .*Greylisted, try again later/) });
    expect(mail.inbox).toHaveLength(0);
  });

  it('a 5xx reply (no such user) is a permanent failure', async () => {
    const mail = await mailServer({ checkRecipient: () => ({ code: 550, message: 'No such user here' }) });
    const result = await notifierFor(mail).deliver(breachEmail());
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/^SMTP 550 .*No such user here/) });
  });

  it('a 5xx reply to the message itself (content refused) is a permanent failure; a 4xx one is retried', async () => {
    const refusing = await mailServer({ refuseData: { code: 554, message: 'Message refused as spam' } });
    expect(await notifierFor(refusing).deliver(breachEmail())).toMatchObject({ status: 'failed', error: expect.stringContaining('Message refused as spam') });
    await refusing.close();
    const busy = await mailServer({ refuseData: { code: 452, message: 'Insufficient storage' } });
    expect(await notifierFor(busy).deliver(breachEmail())).toMatchObject({ status: 'retry', error: expect.stringContaining('Insufficient storage') });
  });

  it('one refused recipient out of two: the other still gets it, and the detail says who did not', async () => {
    const mail = await mailServer({ checkRecipient: (address) => (address === 'ann@acme.test' ? { code: 550, message: 'No such user' } : undefined) });

    const result = await notifierFor(mail).deliver(breachEmail('Ada Lovelace', { to: ['maria', 'ann'] }));

    expect(result).toMatchObject({ status: 'delivered', detail: expect.stringContaining('rejected: ann@acme.test') });
    expect(mail.inbox.map((arrived) => arrived.to)).toEqual([['maria@acme.test']]);
  });

  it('a refused login is retried, though its reply is a 5xx: the credentials are wrong, not the message', async () => {
    const mail = await mailServer({ password: 'right' });
    const transport = { host: '127.0.0.1', port: mail.port, secure: false, ignoreTLS: true, auth: { user: 'leadline', pass: 'wrong' } };
    const result = await smtpNotifier({ transport, from }).deliver(breachEmail('Ada Lovelace', { to: ['maria@acme.test'] }));
    expect(result).toMatchObject({ status: 'retry', error: expect.stringMatching(/^SMTP 535 .*Invalid username or password/) });
    const rightTransport = { ...transport, auth: { user: 'leadline', pass: 'right' } };
    expect(await smtpNotifier({ transport: rightTransport, from }).deliver(breachEmail('Ada Lovelace', { to: ['maria@acme.test'] }))).toMatchObject({
      status: 'delivered',
    });
  });

  it('a mail server that is down is retried', async () => {
    const port = await closedPort();
    const notifier = smtpNotifier({ transport: { host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 2_000 }, from });
    const result = await notifier.deliver(breachEmail('Ada Lovelace', { to: ['maria@acme.test'] }));
    expect(result).toMatchObject({ status: 'retry', error: expect.stringMatching(/^ESOCKET: .*ECONNREFUSED/) });
  });

  it('recipients without an address are skipped; with none left the notification fails for good', async () => {
    const mail = await mailServer();
    const email = notifierFor(mail);

    expect(await email.deliver(breachEmail('Ada Lovelace', { to: ['maria', 'carl'] }))).toMatchObject({
      status: 'delivered',
      detail: expect.stringContaining('no email address for carl'),
    });
    expect(await email.deliver(breachEmail('Ada Lovelace', { to: ['carl', 'dora'] }))).toEqual({ status: 'failed', error: 'no email address for carl, dora' });
    expect(await email.deliver(breachEmail('Ada Lovelace', { to: [] }))).toEqual({ status: 'failed', error: 'no recipients' });
    expect(mail.inbox.map((arrived) => arrived.to)).toEqual([['maria@acme.test']]);
  });

  it('without addressOf, recipients are addresses; a Transporter the application owns is used as it is and left open', async () => {
    const mail = await mailServer();
    const transporter = createTransport({ host: '127.0.0.1', port: mail.port, secure: false, ignoreTLS: true });
    const email = smtpNotifier({ transport: transporter, from: { name: 'Leadline', address: 'alerts@leadline.test' } });

    expect(await email.deliver(breachEmail('Ada Lovelace', { to: ['ops@acme.test'] }))).toMatchObject({ status: 'delivered' });
    email.close();
    expect(await transporter.verify()).toBe(true);
    transporter.close();

    expect(mail.inbox[0]?.to).toEqual(['ops@acme.test']);
    expect(mail.inbox[0]?.parsed.from?.value).toEqual([{ name: 'Leadline', address: 'alerts@leadline.test' }]);
  });

  it('works on the email channel and needs a sender', () => {
    expect(smtpNotifier({ transport: { jsonTransport: true }, from }).channel).toBe('email');
    expect(() => smtpNotifier({ transport: { jsonTransport: true }, from: '' })).toThrow(ConfigError);
  });
});

describe('messageIdOf', () => {
  it('takes the right-hand side from the sender and falls back when it cannot read one', () => {
    expect(messageIdOf('k', 'alerts@Example.com')).toMatch(/@example\.com>$/);
    expect(messageIdOf('k', { address: 'alerts@example.org' })).toMatch(/@example\.org>$/);
    expect(messageIdOf('k', 'Leadline')).toMatch(/@leadline\.invalid>$/);
    expect(messageIdOf('k', 'x@[127.0.0.1]')).toMatch(/@leadline\.invalid>$/);
    expect(messageIdOf('k', 'a@b.test')).toBe(messageIdOf('k', 'Other name <z@b.test>'));
  });
});

/** A port on 127.0.0.1 where nothing listens: one the OS just handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
