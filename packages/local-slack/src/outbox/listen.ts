import type { Server } from 'node:net';

/** Listens on a loopback port (0: any free one) and resolves with the port taken. */
export function listenOnLoopback(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Reads a request body as text. */
export async function readText(req: AsyncIterable<Buffer | string>): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}
