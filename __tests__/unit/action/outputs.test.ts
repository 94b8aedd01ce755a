import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUTS, writeMissingPlatforms, writeOutputs } from '../../../src/action/outputs.js';
import { parsePlatform } from '../../../src/oci/platform.js';
import { digestOf, publishResult } from './fixtures.js';

/** Reads the `name<<delimiter … delimiter` records the runner parses from GITHUB_OUTPUT. */
async function readOutputs(file: string): Promise<Record<string, string>> {
  const text = await readFile(file, 'utf8');
  const outputs: Record<string, string> = {};
  for (const [, name = '', delimiter = '', value = ''] of text.matchAll(
    /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2\n/gm,
  )) {
    expect(value).not.toContain(delimiter);
    outputs[name] = value;
  }
  return outputs;
}

describe('writeOutputs', () => {
  const previous = process.env.GITHUB_OUTPUT;
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'action-outputs-'));
    file = join(dir, 'output');
    await writeFile(file, '');
    process.env.GITHUB_OUTPUT = file;
  });

  afterEach(async () => {
    if (previous === undefined) delete process.env.GITHUB_OUTPUT;
    else process.env.GITHUB_OUTPUT = previous;
    await rm(dir, { recursive: true, force: true });
  });

  it('names the outputs as action.yml does', async () => {
    const actionYml = await readFile(new URL('../../../action.yml', import.meta.url), 'utf8');
    const declared = actionYml.slice(actionYml.indexOf('\noutputs:')).match(/^ {2}([a-z-]+):$/gm) ?? [];
    expect(declared.map((line) => line.trim().slice(0, -1))).toEqual(Object.values(OUTPUTS));
  });

  it('writes every output; manifest is the index bytes exactly', async () => {
    const result = publishResult();
    writeOutputs(result);
    const outputs = await readOutputs(file);
    expect(outputs).toEqual({
      digest: digestOf('f'),
      image: `ghcr.io/acme/app@${digestOf('f')}`,
      images: `ghcr.io/acme/app@${digestOf('f')}\ndocker.io/acme/app@${digestOf('f')}`,
      tags: 'ghcr.io/acme/app:1.0',
      'media-type': 'application/vnd.oci.image.index.v1+json',
      platforms: 'linux/amd64,linux/arm/v7',
      children: expect.any(String),
      manifest: '{"schemaVersion":2,"annotations":{"title":"café"}}',
    });
    expect(JSON.parse(outputs.children ?? '')).toEqual([
      {
        kind: 'image',
        platform: 'linux/amd64',
        digest: digestOf('a'),
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size: 1234,
        imageSize: 28_512_345,
        source: 'ghcr.io/acme/app:1.0-amd64',
      },
      {
        kind: 'image',
        platform: 'linux/arm/v7',
        digest: digestOf('b'),
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size: 987,
        source: `linux/arm/v7=${digestOf('b')}`,
      },
      {
        kind: 'attestation',
        platform: 'unknown/unknown',
        digest: digestOf('c'),
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size: 566,
        source: 'ghcr.io/acme/app:1.0-amd64',
        subject: digestOf('a'),
      },
    ]);
    expect(Buffer.from(outputs.manifest ?? '', 'utf8').equals(Buffer.from(result.manifest))).toBe(true);
  });

  it('writes missing-platforms as platforms are written, comma-separated', async () => {
    writeMissingPlatforms(['linux/arm/v7', 'windows(10.0.17763)/amd64'].map(parsePlatform));
    expect(await readOutputs(file)).toEqual({
      'missing-platforms': 'linux/arm/v7,windows(10.0.17763)/amd64',
    });
  });

  it('writes an empty missing-platforms when every required platform is there', async () => {
    writeMissingPlatforms([]);
    expect(await readOutputs(file)).toEqual({ 'missing-platforms': '' });
  });
});

describe('writeOutputs tags', () => {
  const previous = process.env.GITHUB_OUTPUT;
  afterEach(() => {
    if (previous === undefined) delete process.env.GITHUB_OUTPUT;
    else process.env.GITHUB_OUTPUT = previous;
  });

  it.each([
    [
      'pushed and unchanged tags hold the index',
      ['moved', 'unchanged'],
      'ghcr.io/acme/app:1.0\nghcr.io/acme/app:1',
    ],
    ['a dry run writes none', ['dry-run', 'dry-run'], ''],
    // Read back holding another writer's manifest: the output names only what holds the index as read.
    ['a tag read back at another manifest is left out', ['taken', 'moved'], 'ghcr.io/acme/app:1'],
  ] as Array<[string, Array<'moved' | 'unchanged' | 'taken' | 'dry-run'>, string]>)(
    '%s',
    async (_name, statuses, expected) => {
      const dir = await mkdtemp(join(tmpdir(), 'action-outputs-'));
      try {
        process.env.GITHUB_OUTPUT = join(dir, 'output');
        await writeFile(process.env.GITHUB_OUTPUT, '');
        const tags = statuses.map((status, i) => ({
          reference: { registry: 'ghcr.io', repository: 'acme/app', tag: i === 0 ? '1.0' : '1' },
          status,
          ...(status !== 'dry-run' && { now: digestOf(status === 'taken' ? '9' : 'f') }),
        }));
        writeOutputs(publishResult({ tags }));
        expect((await readOutputs(process.env.GITHUB_OUTPUT)).tags).toBe(expected);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
