import { createServer } from 'node:net';

/** A loopback port that was free a moment ago: the OS picks it for a throwaway listener, which is then closed. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error(`failed to find a free port: unexpected listener address ${JSON.stringify(address)}`);
  }
  return address.port;
}
