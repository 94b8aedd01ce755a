// The action against the real registry served over TLS, as a runner starts it: the registry's private CA trusted
// through NODE_EXTRA_CA_CERTS (the way a self-hosted runner trusts one), and HTTP/2 used because the registry
// offers it (distribution negotiates h2 by ALPN; its access log records each request's protocol).
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { seedImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry({ tls: true });
});

afterAll(async () => {
  await registry.stop();
});

/** The requests the action sent (by its User-Agent), from the registry's access log: `HTTP/2.0 GET /v2/…`. */
function actionRequests(): string[] {
  const line = /^\S+ - - \[[^\]]*\] "(\S+) (\S+) (HTTP\/[\d.]+)" \d+ \d+ "[^"]*" "multiarch-publish\//;
  return (registry.output?.() ?? '').split('\n').flatMap((text) => {
    const match = line.exec(text);
    return match ? [`${match[3]} ${match[1]} ${match[2]!.replace(/sha256:\w+/, 'DIGEST')}`] : [];
  });
}

it('publishes over https with HTTP/2, trusting the registry’s CA from NODE_EXTRA_CA_CERTS', async () => {
  const raw = new RawRegistry(registry);
  for (const architecture of ['amd64', 'arm64'])
    await seedImage(raw, { repo: 'tls/app', tag: architecture, architecture });

  const run = await runAction(
    {
      sources: `${registry.host}/tls/app:amd64\n${registry.host}/tls/app:arm64`,
      tags: `${registry.host}/tls/app:1.0`,
    },
    { NODE_EXTRA_CA_CERTS: registry.tls!.caPath },
  );

  expect(run.stdout).not.toContain('::error');
  expect(run.exitCode).toBe(0);
  expect(run.stdout).not.toContain('using http');
  const stored = await raw.getManifest('tls/app', '1.0');
  expect(stored).toMatchObject({ status: 200, digest: run.outputs.digest });
  // Every request over HTTP/2, and no more of them than the budget: no ping, nothing sent twice. The blobs are
  // the two configs and the two layers the binary proof reads.
  expect(actionRequests().sort()).toEqual(
    [
      'HTTP/2.0 GET /v2/tls/app/manifests/amd64',
      'HTTP/2.0 GET /v2/tls/app/manifests/arm64',
      'HTTP/2.0 GET /v2/tls/app/blobs/DIGEST',
      'HTTP/2.0 GET /v2/tls/app/blobs/DIGEST',
      'HTTP/2.0 GET /v2/tls/app/blobs/DIGEST',
      'HTTP/2.0 GET /v2/tls/app/blobs/DIGEST',
      'HTTP/2.0 HEAD /v2/tls/app/manifests/1.0',
      'HTTP/2.0 PUT /v2/tls/app/manifests/1.0',
      // The read-back after the move.
      'HTTP/2.0 HEAD /v2/tls/app/manifests/1.0',
    ].sort(),
  );
});
