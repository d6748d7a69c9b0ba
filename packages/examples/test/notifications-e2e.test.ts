// End to end on the memory store: an SLA breach reaches the manager as exactly one email through a real
// SMTP server, and the CRM as exactly one signed webhook delivery.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDispatcher, MemoryRepDirectory, NOTIFICATION_KINDS, slaPolicy } from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { smtpNotifier } from '@leadline/smtp';
import { verifyWebhook, webhookNotifier } from '@leadline/webhook';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function mailbox() {
  const inbox: { to: string[]; mail: ParsedMail }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        inbox.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), mail });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, inbox };
}

async function crm(secret: string) {
  const deliveries: { body: string; verified: boolean }[] = [];
  const server: Server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const check = verifyWebhook({ secret, body, signatureHeader: request.headers['x-leadline-signature'] });
    deliveries.push({ body, verified: check.ok });
    response.statusCode = check.ok ? 200 : 401;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/leadline`, deliveries };
}

describe('notifications end to end', () => {
  it('an SLA breach sends exactly one manager email and one signed webhook', async () => {
    const mail = await mailbox();
    const secret = 'shared-with-the-crm';
    const hook = await crm(secret);
    const t = createTimeline({
      start: 'Mon 2026-03-02 09:00',
      reps: new MemoryRepDirectory({ default: [{ id: 'ann', manager: 'maria' }] }),
      policies: { sla: slaPolicy({ slas: [{ name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '5m' }] }) },
      // With two notifiers every kind needs a route: the CRM's webhook takes all, managers get breaches by email too.
      notificationRoutes: {
        ...Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, [{ channel: 'webhook' }]])),
        'sla.breached': [{ channel: 'email', audience: 'manager' }, { channel: 'webhook' }],
      },
    });
    const lead = await t.capture({ source: 'demo_request', campaign: 'spring', contact: { name: '<script>alert(1)</script>', company: 'ACME' } });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    const email = smtpNotifier({
      transport: { host: '127.0.0.1', port: mail.port, secure: false, ignoreTLS: true },
      from: 'leads@leadline.test',
      addressOf: (rep) => `${rep}@acme.test`,
    });
    closers.push(async () => email.close());
    const dispatcher = createDispatcher({ engine: t.engine, notifiers: [email, webhookNotifier({ url: hook.url, secret })] });
    await dispatcher.runOnce();
    hook.deliveries.length = 0; // the assignment's webhook is not what this test is about

    await t.advance('5m');
    expect(await dispatcher.runOnce()).toEqual({ delivered: 2, retried: 0, deadLettered: 0, errors: 0 });
    await t.advance('1h');
    await dispatcher.runOnce(); // nothing more to send

    expect(mail.inbox).toHaveLength(1);
    const [arrived] = mail.inbox;
    expect(arrived?.to).toEqual(['maria@acme.test']);
    expect(arrived?.mail.subject).toBe('SLA breached: <script>alert(1)</script>, ACME');
    expect(arrived?.mail.text).toMatch(/Source: demo_request \/ spring/);
    expect(arrived?.mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(arrived?.mail.html).not.toContain('<script>');
    expect(arrived?.mail.headers.get('x-leadline-idempotency-key')).toMatch(/:email$/);

    expect(hook.deliveries).toHaveLength(1);
    expect(hook.deliveries[0]?.verified).toBe(true);
    expect(JSON.parse(hook.deliveries[0]?.body ?? '{}')).toMatchObject({ kind: 'sla.breached', lead: { leadId: lead, source: 'demo_request' } });
    await t.expectNote(lead, /sla.breached notification delivered by email to maria/);
    await t.expectNote(lead, /sla.breached notification delivered by webhook to ann/);
  });
});
