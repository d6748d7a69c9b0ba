// The receiver that docs/notifications.md tells people to copy, run as written against this package:
// it accepts a delivery, acknowledges a redelivery, and refuses a forgery and a replay.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Receiver, startReceiver } from '@leadline/webhook/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook, webhookNotifier } from '../src/index.js';
import { breachNotification } from './notification.js';

const here = dirname(fileURLToPath(import.meta.url));
const guide = readFileSync(join(here, '../../../../docs/notifications.md'), 'utf8');
const example = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((match) => match[1] ?? '')
  .find((block) => block.includes('export function onLeadlineWebhook'));
const secret = 'whsec_docs_example';

type OnWebhook = (rawBody: string, signatureHeader: string | string[] | undefined) => number;
let onLeadlineWebhook: OnWebhook;
let receiver: Receiver;

beforeAll(async () => {
  const generated = join(here, '.generated');
  mkdirSync(generated, { recursive: true });
  const file = join(generated, 'docs-receiver.ts');
  writeFileSync(file, (example ?? '').replace("from '@leadline/webhook'", "from '../../src/index.js'"));
  process.env.LEADLINE_WEBHOOK_SECRET = secret;
  ({ onLeadlineWebhook } = (await import(/* @vite-ignore */ file)) as { onLeadlineWebhook: OnWebhook });
  receiver = await startReceiver((request, _attempt, response) => {
    response.writeHead(onLeadlineWebhook(request.body, request.headers['x-leadline-signature'])).end();
  });
});

afterAll(async () => {
  await receiver.close();
  delete process.env.LEADLINE_WEBHOOK_SECRET;
});

describe('the receiver in docs/notifications.md', () => {
  it('is in the guide', () => {
    expect(example).toContain('verifyWebhook(');
  });

  it('takes a delivery, and answers 200 to its redelivery so that Leadline stops', async () => {
    const notifier = webhookNotifier({ url: receiver.url, secret });
    expect(await notifier.deliver(breachNotification())).toEqual({ status: 'delivered', detail: 'HTTP 200' });
    expect(await notifier.deliver(breachNotification())).toEqual({ status: 'delivered', detail: 'HTTP 200' });
  });

  it('refuses a sender with the wrong secret, for good', async () => {
    const notifier = webhookNotifier({ url: receiver.url, secret: 'whsec_guess' });
    expect(await notifier.deliver(breachNotification())).toEqual({ status: 'failed', error: 'HTTP 401' });
  });

  it('refuses a replay of a request signed an hour ago', () => {
    const body = JSON.stringify({ idempotencyKey: 'lead-7:e9:0:webhook' });
    const signatureHeader = signWebhook({ secret, body, timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(onLeadlineWebhook(body, signatureHeader)).toBe(401);
  });
});
