import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '@leadline/core';
import { type Answer, largeBodyAnswer, type Receiver, startReceiver } from '@leadline/webhook/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhook, type WebhookPayload, webhookNotifier } from '../src/index.js';
import { breachNotification } from './notification.js';

const secret = 'whsec_test_4f1c';
let receiver: Receiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function receive(answer: Answer): Promise<Receiver> {
  receiver = await startReceiver(answer);
  return receiver;
}

function reply(status: number, headers: Record<string, string> = {}, body = ''): Answer {
  return (_request, _attempt, response) => {
    response.writeHead(status, headers).end(body);
  };
}

describe('webhookNotifier', () => {
  it('a receiver that answers 500 twice and then 200 gets the same key three times, each request signed', async () => {
    const verdicts: unknown[] = [];
    const hook = await receive((request, attempt, response) => {
      verdicts.push(verifyWebhook({ secret, body: request.body, signatureHeader: request.headers['x-leadline-signature'] }));
      response.writeHead(attempt < 2 ? 500 : 200).end(attempt < 2 ? 'database unavailable' : 'ok');
    });
    const notifier = webhookNotifier({ url: hook.url, secret });
    const notification = breachNotification();

    const results = [await notifier.deliver(notification), await notifier.deliver(notification), await notifier.deliver(notification)];

    expect(results).toEqual([
      { status: 'retry', error: 'HTTP 500: database unavailable' },
      { status: 'retry', error: 'HTTP 500: database unavailable' },
      { status: 'delivered', detail: 'HTTP 200' },
    ]);
    expect(hook.received.map((request) => request.headers['x-leadline-idempotency-key'])).toEqual(Array(3).fill('lead-7:e4:0:webhook'));
    expect(hook.received.map((request) => (JSON.parse(request.body) as WebhookPayload).idempotencyKey)).toEqual(Array(3).fill('lead-7:e4:0:webhook'));
    expect(verdicts).toEqual(Array(3).fill({ ok: true }));
  });

  it('POSTs the notification as JSON with the signature header in the t=,v1= format', async () => {
    const hook = await receive(reply(204));
    const notifier = webhookNotifier({
      url: hook.url,
      secret,
      headers: { authorization: 'Bearer crm-token', 'X-Leadline-Signature': 'forged', 'Content-Type': 'text/plain' },
    });

    expect(await notifier.deliver(breachNotification())).toEqual({ status: 'delivered', detail: 'HTTP 204' });

    const [request] = hook.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/hooks/leadline');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('Bearer crm-token');
    expect(request?.headers['x-leadline-signature']).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
    const payload = JSON.parse(request?.body ?? '') as Record<string, unknown>;
    expect(Object.keys(payload).sort()).toEqual(['createdAt', 'idempotencyKey', 'kind', 'lead', 'subject', 'text', 'to']);
    expect(payload).toMatchObject({ kind: 'sla.breached', to: ['maria'], lead: { leadId: 'lead-7', source: 'demo_request', campaign: 'spring-launch' } });
  });

  it('a 400 is a permanent failure after one try, with the receiver’s reason', async () => {
    const hook = await receive(reply(400, { 'content-type': 'application/json' }, '{"error":"unknown kind"}'));

    const result = await webhookNotifier({ url: hook.url, secret }).deliver(breachNotification());

    expect(result).toEqual({ status: 'failed', error: 'HTTP 400: {"error":"unknown kind"}' });
    expect(hook.received).toHaveLength(1);
  });

  it.each([401, 404, 410, 422])('HTTP %i is permanent too', async (status) => {
    const hook = await receive(reply(status));
    expect(await webhookNotifier({ url: hook.url, secret }).deliver(breachNotification())).toEqual({ status: 'failed', error: `HTTP ${status}` });
  });

  it('a 429 with Retry-After: 7 asks for a retry in 7000 ms', async () => {
    const hook = await receive(reply(429, { 'retry-after': '7' }));
    expect(await webhookNotifier({ url: hook.url, secret }).deliver(breachNotification())).toEqual({ status: 'retry', error: 'HTTP 429', retryAfterMs: 7000 });
  });

  it('a 503 with Retry-After as an HTTP date asks for a retry at that date', async () => {
    const at = new Date(Date.now() + 120_000);
    const hook = await receive(reply(503, { 'retry-after': at.toUTCString() }));

    const result = await webhookNotifier({ url: hook.url, secret }).deliver(breachNotification());

    expect(result.status).toBe('retry');
    const retryAfterMs = result.status === 'retry' ? (result.retryAfterMs ?? 0) : 0;
    // The HTTP date has whole seconds, and a little time passes between building it and reading it.
    expect(retryAfterMs).toBeGreaterThan(110_000);
    expect(retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('a 408 is retried, and an unreadable Retry-After leaves the backoff to the dispatcher', async () => {
    const hook = await receive(reply(408, { 'retry-after': 'soon' }));
    expect(await webhookNotifier({ url: hook.url, secret }).deliver(breachNotification())).toEqual({ status: 'retry', error: 'HTTP 408' });
  });

  it('a receiver that does not answer within timeoutMs is abandoned and retried', async () => {
    // Holds the request until the client hangs up.
    const hook = await receive((_request, _attempt, response) => new Promise<void>((resolve) => response.on('close', resolve)));
    const started = Date.now();

    const result = await webhookNotifier({ url: hook.url, secret, timeoutMs: 150 }).deliver(breachNotification());

    expect(result).toEqual({ status: 'retry', error: 'timed out after 150ms' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a receiver that is down is retried', async () => {
    const url = await closedPortUrl();
    const result = await webhookNotifier({ url, secret }).deliver(breachNotification());
    expect(result).toMatchObject({ status: 'retry', error: expect.stringMatching(/^network error: ECONNREFUSED/) });
  });

  it('a redirect is not followed: the signed payload stays with the configured URL', async () => {
    const hook = await receive((request, _attempt, response) => {
      if (request.url === '/hooks/leadline') response.writeHead(302, { location: '/elsewhere' }).end();
      else response.writeHead(200).end();
    });

    const result = await webhookNotifier({ url: hook.url, secret }).deliver(breachNotification());

    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/^HTTP 302 \(redirects are not followed/) });
    expect(hook.received.map((request) => request.url)).toEqual(['/hooks/leadline']);
  });

  it('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      calls.push(String(input));
      return new Response(null, { status: 202 });
    };
    const result = await webhookNotifier({ url: 'https://crm.example.com/hooks/leadline', secret, fetch }).deliver(breachNotification());
    expect(result).toEqual({ status: 'delivered', detail: 'HTTP 202' });
    expect(calls).toEqual(['https://crm.example.com/hooks/leadline']);
  });

  it('refuses options it cannot work with, naming each one', () => {
    expect(() => webhookNotifier({ url: 'ftp://example.com', secret: '', timeoutMs: 0 })).toThrow(ConfigError);
    expect(() => webhookNotifier({ url: 'not a url', secret })).toThrow(/url: must be an http or https URL/);
    expect(() => webhookNotifier({ url: 'https://example.com', secret: '' })).toThrow(/secret: must be a non-empty string/);
    expect(() => webhookNotifier({ url: 'https://example.com', secret, timeoutMs: -1 })).toThrow(/timeoutMs: must be a positive number of ms/);
  });

  it('works on the webhook channel', () => {
    expect(webhookNotifier({ url: 'https://example.com', secret }).channel).toBe('webhook');
  });
});

/** A URL on 127.0.0.1 where nothing listens: a port the OS just handed out and that was closed again. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hooks/leadline`;
}

/**
 * A fetch whose answer has a body of `bodyBytes`, made 1 KiB at a time only as it is read, and how much of
 * it was read: what a notifier reads of a body is then counted exactly, with no socket buffers between.
 */
function countingFetch(status: number, bodyBytes: number) {
  const read = { bytes: 0, cancelled: false };
  const chunk = new Uint8Array(1024).fill(0x78);
  const fetch: typeof globalThis.fetch = async () =>
    new Response(
      new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (read.bytes >= bodyBytes) return controller.close();
            read.bytes += chunk.length;
            controller.enqueue(chunk.slice());
          },
          cancel() {
            read.cancelled = true;
          },
        },
        { highWaterMark: 0 },
      ),
      { status },
    );
  return { fetch, read };
}

const MB = 1024 * 1024;

describe('webhookNotifier and a huge answer', () => {
  it('reads at most 4 KiB of a 500 with a 50 MB body, then lets the body go', async () => {
    const { fetch, read } = countingFetch(500, 50 * MB);
    const result = await webhookNotifier({ url: 'https://crm.example.com/hooks/leadline', secret, fetch }).deliver(breachNotification());
    expect(result).toEqual({ status: 'retry', error: `HTTP 500: ${'x'.repeat(200)}...` });
    expect(read.bytes).toBeLessThanOrEqual(5 * 1024);
    expect(read.cancelled).toBe(true);
  });

  it('reads at most 4 KiB of a 200 with a 50 MB body too', async () => {
    const { fetch, read } = countingFetch(200, 50 * MB);
    expect(await webhookNotifier({ url: 'https://crm.example.com/hooks/leadline', secret, fetch }).deliver(breachNotification())).toEqual({
      status: 'delivered',
      detail: 'HTTP 200',
    });
    expect(read.bytes).toBeLessThanOrEqual(5 * 1024);
  });

  it('a receiver streaming a 50 MB error page has its connection closed long before the end', async () => {
    const large = largeBodyAnswer(503, 50 * MB);
    const hook = await receive(large.answer);
    const result = await webhookNotifier({ url: hook.url, secret }).deliver(breachNotification());
    expect(result).toMatchObject({ status: 'retry', error: expect.stringMatching(/^HTTP 503: x{200}\.\.\.$/) });
    const sent = await large.sent;
    expect(sent.complete).toBe(false);
    // What the server wrote before the connection closed is what the socket buffers took, not the body.
    expect(sent.bytes).toBeLessThan(16 * MB);
  });
});
