import { get, type IncomingMessage } from 'node:http';

/**
 * Opens the page's `/api/events` stream as the browser's EventSource would; `firstData` resolves with
 * the JSON of the first `data:` line. `close()` ends it.
 */
export async function openEventStream(url: string) {
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    get(url, resolve).on('error', reject),
  );
  response.setEncoding('utf8');
  let received = '';
  const firstData = new Promise<unknown>((resolve) => {
    response.on('data', (chunk: string) => {
      received += chunk;
      const line = received.split('\n').find((l) => l.startsWith('data: '));
      if (line) resolve(JSON.parse(line.slice('data: '.length)));
    });
  });
  return { response, firstData, close: () => response.destroy() };
}
