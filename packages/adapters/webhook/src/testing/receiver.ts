import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it, body kept raw so that signatures can be checked. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Decides the answer to the n-th request (0-based); may take its time to simulate a slow receiver. */
export type Answer = (request: ReceivedRequest, attempt: number, response: ServerResponse) => unknown;

/** A real HTTP server on 127.0.0.1 and an ephemeral port, recording every request it gets. */
export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts a receiver; `path` makes its URL look like the real endpoint (the Slack tests use Slack's shape). */
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
