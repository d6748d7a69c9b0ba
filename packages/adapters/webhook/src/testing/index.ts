/**
 * `@leadline/webhook/testing`: a webhook receiver for tests of notifiers that deliver over HTTP (this
 * package's, `@leadline/slack`'s, or your own): a real server on 127.0.0.1 that records every request
 * and answers as the test says. It uses only `node:http`, so it runs under any test runner.
 *
 * @example
 * ```ts
 * import { startReceiver } from '@leadline/webhook/testing';
 *
 * const receiver = await startReceiver((_request, attempt, response) => response.writeHead(attempt === 0 ? 503 : 200).end());
 * // ...point a notifier at receiver.url and deliver...
 * await receiver.close();
 * ```
 *
 * @module
 */

export { type Answer, largeBodyAnswer, type ReceivedRequest, type Receiver, type SentBody, startReceiver } from './receiver.js';
