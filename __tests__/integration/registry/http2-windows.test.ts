// The HTTP/2 flow-control windows the client offers a registry, as the server sees them. With undici's own
// (256 KiB a stream, 512 KiB the connection) a distant registry waits a round trip for every quarter MiB it sends:
// the binary proof's layer reads and the cross-registry copies crawled. A real TLS server of node:http2, trusting
// a CA made for the test.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { Transport } from '../../../src/registry/http/transport.js';
import { createServerCertificate } from '../../../testkit/tls-certificate.js';

const MiB = 1024 * 1024;
const BODY_BYTES = 3 * MiB;

let dir: string;
let server: Http2SecureServer;
let origin: string;
const trusted = tls.getCACertificates('default');
/** What each session's peer (the client) allowed the server to send when the first response began. */
const windows: Array<{ stream: number | undefined; connection: number | undefined }> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multiarch-publish-h2-'));
  const certificate = await createServerCertificate(dir);
  tls.setDefaultCACertificates([...trusted, certificate.ca]);
  server = createSecureServer({
    key: await readFile(certificate.keyPath),
    cert: await readFile(certificate.certificatePath),
  });
  server.on('stream', (stream) => {
    const session = stream.session as ServerHttp2Session;
    windows.push({
      stream: session.remoteSettings.initialWindowSize,
      connection: session.state.remoteWindowSize,
    });
    stream.respond({ ':status': 200, 'content-length': String(BODY_BYTES) });
    stream.end(Buffer.alloc(BODY_BYTES, 7));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  tls.setDefaultCACertificates(trusted);
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

it('offers a registry 8 MiB a stream and 32 MiB the connection, so a layer comes in one round trip', async () => {
  const transport = new Transport();
  try {
    const response = await transport.request({ method: 'GET', url: new URL('/v2/app/blobs/layer', origin) });
    expect(response.status).toBe(200);
    expect((await response.bytes(BODY_BYTES)).byteLength).toBe(BODY_BYTES);
    // A second request on the same connection sees the connection window the client set once connected.
    await (await transport.request({ method: 'GET', url: new URL('/v2/app/blobs/other', origin) })).discard();
  } finally {
    await transport.close();
  }

  expect(windows).toHaveLength(2);
  expect(windows.map((seen) => seen.stream)).toEqual([8 * MiB, 8 * MiB]);
  expect(windows[1]?.connection).toBeGreaterThanOrEqual(32 * MiB - BODY_BYTES);
});
