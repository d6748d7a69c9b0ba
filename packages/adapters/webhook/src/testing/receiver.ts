/**
 * A webhook receiver for tests: a real HTTP server on 127.0.0.1 and an ephemeral port that records every
 * request it gets, body kept raw so that signatures can be checked, and answers as the test says. Only
 * `node:http`: it runs under any test runner.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One request as the receiver saw it, body kept raw so that signatures can be checked.
 *
 * @example
 * ```ts
 * import type { ReceivedRequest } from '@leadline/webhook/testing';
 *
 * const request: ReceivedRequest = { method: 'POST', url: '/hooks/leadline', headers: { 'content-type': 'application/json' }, body: '{}' };
 * ```
 */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * Decides the answer to the n-th request (0-based); may take its time to simulate a slow receiver.
 *
 * @example
 * ```ts
 * import type { Answer } from '@leadline/webhook/testing';
 *
 * // Busy once, then fine: the notifier is expected to retry.
 * const busyOnce: Answer = (_request, attempt, response) => response.writeHead(attempt === 0 ? 503 : 200).end();
 * ```
 */
export type Answer = (request: ReceivedRequest, attempt: number, response: ServerResponse) => unknown;

/**
 * A running receiver: its URL, the requests it got so far, and how to stop it.
 *
 * @example
 * ```ts
 * import { type Receiver, startReceiver } from '@leadline/webhook/testing';
 *
 * const receiver: Receiver = await startReceiver((_request, _attempt, response) => response.writeHead(200).end());
 * console.log(receiver.url, receiver.received.length);
 * await receiver.close();
 * ```
 */
export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a receiver; `path` makes its URL look like the real endpoint (the Slack tests use Slack's shape).
 *
 * @example
 * ```ts
 * import { webhookNotifier } from '@leadline/webhook';
 * import { startReceiver } from '@leadline/webhook/testing';
 *
 * const receiver = await startReceiver((_request, _attempt, response) => response.writeHead(200).end());
 * const notifier = webhookNotifier({ url: receiver.url, secret: 'test-secret' });
 * // ...deliver through `notifier`, then read `receiver.received[0].body` and its headers.
 * await receiver.close();
 * ```
 */
export async function startReceiver(answer: Answer, path = '/hooks/leadline'): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const entry: ReceivedRequest = {
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    received.push(entry);
    await answer(entry, received.length - 1, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // A slow receiver still holds the socket the client gave up on; drop it so that close can finish.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * What a {@link largeBodyAnswer} sent: the body bytes the server handed to the connection, and whether
 * that was the whole body (`false` when the client closed the connection first).
 *
 * @example
 * ```ts
 * import type { SentBody } from '@leadline/webhook/testing';
 *
 * const sent: SentBody = { bytes: 65_536, complete: false };
 * ```
 */
export interface SentBody {
  bytes: number;
  complete: boolean;
}

/**
 * An answer with a body far larger than any notifier should read (an error page, a runaway log), streamed
 * in 64 KiB chunks as fast as the client takes them, and how much of it went out. A notifier that reads
 * only the start of a body and then closes the connection leaves `complete` false, with `bytes` no more
 * than the socket buffers held; one that reads it all leaves it true.
 *
 * @example
 * ```ts
 * import { webhookNotifier } from '@leadline/webhook';
 * import { largeBodyAnswer, startReceiver } from '@leadline/webhook/testing';
 * import type { Notification } from '@leadline/core';
 *
 * declare const notification: Notification;
 * const large = largeBodyAnswer(500, 50 * 1024 * 1024);
 * const receiver = await startReceiver(large.answer);
 * await webhookNotifier({ url: receiver.url, secret: 'test-secret' }).deliver(notification);
 * const { bytes, complete } = await large.sent; // complete: false, bytes: a few MB at most
 * await receiver.close();
 * ```
 */
export function largeBodyAnswer(status: number, bodyBytes: number): { answer: Answer; sent: Promise<SentBody> } {
  let report: (sent: SentBody) => void = () => {};
  const sent = new Promise<SentBody>((resolve) => {
    report = resolve;
  });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const answer: Answer = async (_request, _attempt, response) => {
    response.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(bodyBytes) });
    let bytes = 0;
    let closed = false;
    response.once('close', () => {
      closed = true;
    });
    while (bytes < bodyBytes && !closed) {
      const part = bodyBytes - bytes < chunk.length ? chunk.subarray(0, bodyBytes - bytes) : chunk;
      bytes += part.length;
      if (!response.write(part)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            response.off('drain', done);
            response.off('close', done);
            resolve();
          };
          response.once('drain', done);
          response.once('close', done);
        });
      }
    }
    const complete = bytes >= bodyBytes && !closed;
    if (complete) await new Promise<void>((resolve) => response.end(resolve));
    report({ bytes, complete });
  };
  return { answer, sent };
}
