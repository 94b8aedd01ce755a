import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'undici';
import { seedImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';

const repo = 'harness/basic';

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
});

afterAll(async () => {
  await registry.stop();
});

describe('a registry with htpasswd auth', () => {
  it('challenges for Basic auth', async () => {
    const response = await request(`${registry.url}/v2/`);
    await response.body.dump();

    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"$/);
  });

  it('lets the valid user push and pull', async () => {
    const raw = new RawRegistry(registry);
    const image = await seedImage(raw, { repo, tag: 'v1', architecture: 'amd64' });

    const fetched = await raw.getManifest(repo, 'v1');
    expect(fetched).toMatchObject({ status: 200, digest: image.digest });
    expect(Buffer.from(fetched.bytes).equals(Buffer.from(image.bytes))).toBe(true);
  });

  it.each([
    ['a wrong password', () => ({ username: registry.username ?? '', password: 'wrong' })],
    ['an unknown user', () => ({ username: 'mallory', password: registry.password ?? '' })],
    ['no credentials', () => 'anonymous' as const],
  ])('answers 401 to %s, for reads and writes', async (_case, credentials) => {
    await seedImage(new RawRegistry(registry), { repo, tag: 'guarded', architecture: 'arm64' });
    const raw = new RawRegistry(registry, credentials());

    await expect(raw.getManifest(repo, 'guarded')).resolves.toMatchObject({ status: 401 });
    await expect(raw.putBlob(repo, Buffer.from('intruder'))).rejects.toMatchObject({
      name: 'UnexpectedStatusError',
      status: 401,
    });
  });
});
