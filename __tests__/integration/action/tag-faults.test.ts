// Tags move together or not at all: `node dist/index.js` against real registries behind a fault-injecting proxy
// that refuses one tag. Whatever the refusal, every tag ends where it was before the run (read back with the
// harness's raw client, straight from the registry), and the error annotation names the refused tag.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  registryErrorAnswer,
  startFaultProxy,
  type Fault,
  type FaultProxy,
} from '../../support/fault-proxy.js';
import { seedImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction, type ActionRun } from '../../../testkit/run-action.js';

interface Site {
  registry: TestRegistry;
  proxy: FaultProxy;
  raw: RawRegistry;
}

let first: Site;
/** A second registry, with deletes off as distribution ships. */
let second: Site;

async function site(deletes: boolean): Promise<Site> {
  const registry = await startRegistry({ auth: 'none', deletes });
  return { registry, proxy: await startFaultProxy(registry), raw: new RawRegistry(registry) };
}

beforeAll(async () => {
  [first, second] = await Promise.all([site(true), site(false)]);
});

afterEach(() => {
  for (const { proxy } of [first, second]) proxy.rules.length = 0;
});

afterAll(async () => {
  for (const { proxy, registry } of [first, second]) {
    await proxy.stop();
    await registry.stop();
  }
});

/** `proxy-host/repo:tag`: what the action is given. */
const ref = (where: Site, repo: string, tag: string): string => `${where.proxy.host}/${repo}:${tag}`;
const tagPath = (repo: string, tag: string): string => `/v2/${repo}/manifests/${tag}`;

/**
 * Seeds two per-arch images to publish (tags amd64, arm64) and release 1, an older image, under every one of
 * `tags` on every site; returns release 1's digest.
 */
async function seedRelease(repo: string, tags: string[], sites: Site[] = [first]): Promise<string> {
  const [home] = sites;
  await seedImage(home!.raw, { repo, tag: 'amd64', architecture: 'amd64', salt: 'release 2' });
  await seedImage(home!.raw, { repo, tag: 'arm64', architecture: 'arm64', salt: 'release 2' });
  let digest = '';
  for (const where of sites) {
    const release = await seedImage(where.raw, { repo, architecture: 'amd64', salt: 'release 1' });
    for (const tag of tags) await where.raw.putManifest(repo, tag, release.mediaType, release.bytes);
    digest = release.digest;
  }
  return digest;
}

function publishTo(repo: string, targets: string[]): Promise<ActionRun> {
  return runAction({
    sources: `${ref(first, repo, 'amd64')}\n${ref(first, repo, 'arm64')}`,
    tags: targets.join('\n'),
  });
}

/** The digest the registry itself serves under the tag (undefined: no such tag). */
async function heldBy(where: Site, repo: string, tag: string): Promise<string | undefined> {
  const served = await where.raw.getManifest(repo, tag);
  return served.status === 404 ? undefined : served.digest;
}

/** The `::error` line the runner turns into the failure annotation, decoded. */
function annotation(run: ActionRun): string {
  const line = run.stdout.split('\n').find((entry) => entry.startsWith('::error '));
  return (line ?? '').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

const REFUSALS: Array<[string, Fault]> = [
  ['403 DENIED', registryErrorAnswer(403, 'DENIED', 'requested access to the resource is denied')],
  ['500 forever', registryErrorAnswer(500, 'UNKNOWN', 'unknown error')],
  ['400 TAG_INVALID', registryErrorAnswer(400, 'TAG_INVALID', 'tag 1.0 is immutable')],
];

describe('a tag refused for good', () => {
  it.each(REFUSALS)('three tags, one answered %s: every tag keeps its release', async (name, answer) => {
    const repo = `faults/three-${name.split(' ')[0]}`;
    const tags = ['1', '1.0', 'latest'];
    const release = await seedRelease(repo, tags);
    first.proxy.rules.push({ method: 'PUT', path: tagPath(repo, '1.0'), fault: answer });

    const run = await publishTo(
      repo,
      tags.map((tag) => ref(first, repo, tag)),
    );

    expect(run.exitCode).toBe(1);
    for (const tag of tags) expect(await heldBy(first, repo, tag)).toBe(release);
    expect(annotation(run)).toContain(
      `::error title=Tags not moved::failed to move tag ${ref(first, repo, '1.0')}: `,
    );
    expect(annotation(run)).toContain(`${ref(first, repo, 'latest')}: put back to ${release}`);
    expect(run.outputs).toEqual({});
  });

  it('ten tags, the first refused: the others are put back or never start', async () => {
    const repo = 'faults/ten';
    const tags = Array.from({ length: 10 }, (_, i) => `t${i}`);
    const release = await seedRelease(repo, tags);
    first.proxy.rules.push({ method: 'PUT', path: tagPath(repo, 't0'), fault: REFUSALS[0]![1] });
    first.proxy.seen.length = 0;

    const run = await publishTo(
      repo,
      tags.map((tag) => ref(first, repo, tag)),
    );

    expect(run.exitCode).toBe(1);
    for (const tag of tags) expect(await heldBy(first, repo, tag)).toBe(release);
    expect(annotation(run)).toContain(`failed to move tag ${ref(first, repo, 't0')}: `);
    const written = new Set(
      first.proxy.seen
        .filter((seen) => seen.method === 'PUT' && /\/manifests\/t\d$/.test(seen.path))
        .map((s) => s.path),
    );
    expect(written.size).toBeLessThan(tags.length);
  });

  it('a refused tag on a second registry puts back the tags on the first', async () => {
    const repo = 'faults/two-registries';
    const release = await seedRelease(repo, ['1', 'latest', '1.0'], [first, second]);
    second.proxy.rules.push({ method: 'PUT', path: tagPath(repo, '1.0'), fault: REFUSALS[0]![1] });

    const run = await publishTo(repo, [
      ref(first, repo, '1'),
      ref(first, repo, 'latest'),
      ref(second, repo, '1.0'),
    ]);

    expect(run.exitCode).toBe(1);
    for (const tag of ['1', 'latest']) expect(await heldBy(first, repo, tag)).toBe(release);
    expect(await heldBy(second, repo, '1.0')).toBe(release);
    expect(annotation(run)).toContain(`failed to move tag ${ref(second, repo, '1.0')}: `);
  });

  it('a PUT answered with another Docker-Content-Digest fails that tag, and the tags are put back', async () => {
    const repo = 'faults/digest';
    const tags = ['1', 'latest'];
    const release = await seedRelease(repo, tags);
    const wrong = `sha256:${'0'.repeat(64)}`;
    // Only the move is answered wrongly; putting the tag back goes through.
    first.proxy.rules.push({
      method: 'PUT',
      path: tagPath(repo, 'latest'),
      fault: { kind: 'headers', headers: { 'docker-content-digest': wrong } },
      times: 1,
    });

    const run = await publishTo(
      repo,
      tags.map((tag) => ref(first, repo, tag)),
    );

    expect(run.exitCode).toBe(1);
    for (const tag of tags) expect(await heldBy(first, repo, tag)).toBe(release);
    expect(annotation(run)).toContain(`failed to move tag ${ref(first, repo, 'latest')}: `);
    expect(annotation(run)).toContain(`the registry stored it as ${wrong}`);
  });
});

describe('a new tag, moved before another was refused', () => {
  it('is deleted where the registry deletes tags', async () => {
    const repo = 'faults/new-deleted';
    const release = await seedRelease(repo, ['1.0']);
    const storage = first.registry.storageDir!;
    first.proxy.rules.push(
      { method: 'PUT', path: tagPath(repo, '1.0'), fault: REFUSALS[0]![1] },
      {
        // Distribution 2.8 deletes manifests by digest only; this is how distribution 3 deletes a tag.
        method: 'DELETE',
        path: tagPath(repo, 'new'),
        fault: {
          kind: 'handle',
          handle: async (_req, res) => {
            const dir = join(storage, 'docker/registry/v2/repositories', repo, '_manifests/tags/new');
            await rm(dir, { recursive: true });
            res.writeHead(202).end();
          },
        },
      },
    );

    const run = await publishTo(repo, [ref(first, repo, 'new'), ref(first, repo, '1.0')]);

    expect(run.exitCode).toBe(1);
    expect(await heldBy(first, repo, 'new')).toBeUndefined();
    expect(await heldBy(first, repo, '1.0')).toBe(release);
    expect(annotation(run)).toContain(
      `${ref(first, repo, 'new')}: put back (deleted: it did not exist before)`,
    );
  });

  it.each([
    [
      'with deletes enabled (distribution 2.8 deletes by digest only)',
      () => first,
      /400 Bad Request \(DIGEST_INVALID/,
    ],
    ['with deletes disabled', () => second, /405 Method Not Allowed \(UNSUPPORTED/],
  ])('is named stuck, with the digest it holds, on distribution %s', async (_name, where, why) => {
    const target = where();
    const repo = `faults/new-stuck-${target === first ? 'enabled' : 'disabled'}`;
    const release = await seedRelease(repo, ['1.0'], target === first ? [first] : [first, second]);
    target.proxy.rules.push({ method: 'PUT', path: tagPath(repo, '1.0'), fault: REFUSALS[0]![1] });

    const run = await publishTo(repo, [ref(target, repo, 'new'), ref(target, repo, '1.0')]);

    expect(run.exitCode).toBe(1);
    const stuck = await heldBy(target, repo, 'new');
    expect(stuck).toMatch(/^sha256:/);
    expect(await heldBy(target, repo, '1.0')).toBe(release);
    const message = annotation(run);
    expect(message).toContain('::error title=Tags left moved::');
    expect(message).toContain(`${ref(target, repo, 'new')}: stuck, holds ${stuck} (could not be put back: `);
    expect(message).toMatch(why);
    // The outputs say what is live, so a signing step still hears of the index the stuck tag holds.
    expect(run.outputs.digest).toBe(stuck);
    expect(run.outputs.tags).toBe(ref(target, repo, 'new'));
  });
});
