import { describe, expect, it } from '@jest/globals';
import { request } from 'undici';
import { seedImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';

describe('startRegistry', () => {
  it.each(['none', 'htpasswd', 'token'] as const)(
    'serves /v2/ on loopback in %s mode until stopped',
    async (auth) => {
      const registry = await startRegistry({ auth });
      try {
        expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
        expect(registry.url).toBe(`http://${registry.host}`);
        const response = await request(`${registry.url}/v2/`);
        await response.body.dump();
        expect(response.statusCode).toBe(auth === 'none' ? 200 : 401);
      } finally {
        await registry.stop();
      }
      await expect(request(`${registry.url}/v2/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    },
  );

  it('stops idempotently', async () => {
    const registry = await startRegistry();
    await Promise.all([registry.stop(), registry.stop()]);
    await expect(registry.stop()).resolves.toBeUndefined();
  });

  it('gives each registry its own port and storage', async () => {
    const [first, second] = await Promise.all([startRegistry(), startRegistry()]);
    try {
      expect(first.host).not.toBe(second.host);
      const image = await seedImage(new RawRegistry(first), {
        repo: 'harness/own',
        tag: 'v1',
        architecture: 'amd64',
      });
      await expect(new RawRegistry(first).hasManifest('harness/own', image.digest)).resolves.toBe(true);
      await expect(new RawRegistry(second).hasManifest('harness/own', image.digest)).resolves.toBe(false);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('ignores REGISTRY_* variables, which distribution would read as config overrides', async () => {
    const saved = process.env['REGISTRY_HTTP_ADDR'];
    process.env['REGISTRY_HTTP_ADDR'] = '127.0.0.1:1';
    let registry: TestRegistry | undefined;
    try {
      registry = await startRegistry();
      const response = await request(`${registry.url}/v2/`);
      await response.body.dump();
      expect(response.statusCode).toBe(200);
    } finally {
      if (saved === undefined) delete process.env['REGISTRY_HTTP_ADDR'];
      else process.env['REGISTRY_HTTP_ADDR'] = saved;
      await registry?.stop();
    }
  });

  it('reports the output of a registry that dies at start', async () => {
    // Node stands in for a broken binary: `node serve <config>` exits 1 after printing why.
    await expect(startRegistry({ command: process.execPath })).rejects.toThrow(
      /failed to start docker-registry at http:\/\/127\.0\.0\.1:\d+\/v2\/: it exited with code 1 .*Cannot find module/s,
    );
  });

  it('says how to install the registry when the binary is missing', async () => {
    await expect(startRegistry({ command: '/nonexistent/docker-registry' })).rejects.toThrow(
      'docker-registry not found: apt-get install docker-registry',
    );
  });

  it('makes up a valid user when none is given, and keeps the one given', async () => {
    const made = await startRegistry({ auth: 'htpasswd' });
    const given = await startRegistry({ auth: 'htpasswd', username: 'alice', password: 's3cret:with colon' });
    try {
      expect(made).toMatchObject({
        username: 'harness-user',
        password: expect.stringMatching(/^[0-9a-f]{24}$/),
      });
      expect(given).toMatchObject({ username: 'alice', password: 's3cret:with colon' });
      const basic = Buffer.from('alice:s3cret:with colon').toString('base64');
      const response = await request(`${given.url}/v2/`, { headers: { authorization: `Basic ${basic}` } });
      await response.body.dump();
      expect(response.statusCode).toBe(200);
    } finally {
      await Promise.all([made.stop(), given.stop()]);
    }
  });
});
