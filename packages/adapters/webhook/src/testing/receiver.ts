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
