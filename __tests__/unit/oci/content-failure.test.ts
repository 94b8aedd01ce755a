import { describe, expect, it } from '@jest/globals';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOciLayout } from '../../../src/layout/oci-layout.js';
import { contentFailureOf, isContentNotFound } from '../../../src/oci/content-failure.js';
import { RegistryError } from '../../../src/registry/http/registry-error.js';

const answer = (status: number, code?: string): RegistryError =>
  new RegistryError(`failed to GET: ${status}`, {
    method: 'GET',
    url: 'https://registry.example/v2/acme/app/manifests/1.0',
    status,
    errors: code === undefined ? [] : [{ code }],
  });

describe('content failures, whichever backend raised them', () => {
  it.each([
    [404, 'MANIFEST_UNKNOWN', 'not-found'],
    [404, 'NAME_UNKNOWN', 'no-such-repository'],
    [401, 'UNAUTHORIZED', 'access-refused'],
    [403, 'DENIED', 'access-refused'],
    [405, 'UNSUPPORTED', 'unsupported'],
    [400, 'UNSUPPORTED', 'unsupported'],
    [500, undefined, undefined],
    [0, undefined, undefined],
  ])('a registry answering %i %s is %s', (status, code, failure) => {
    expect(contentFailureOf(answer(status, code))).toBe(failure);
  });

  it('are found along the cause chain, under errors that know none', () => {
    const wrapped = new Error('failed to resolve source', {
      cause: new Error('inner', { cause: answer(404) }),
    });
    expect(isContentNotFound(wrapped)).toBe(true);
    expect(contentFailureOf(new Error('plain'))).toBeUndefined();
  });

  it('a layout lacking the blob asked for is not-found, like a registry 404', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'content-failure-'));
    try {
      await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      await writeFile(join(dir, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
      await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
      const layout = await openOciLayout(dir);
      const missing = {
        mediaType: 'application/octet-stream',
        digest: `sha256:${'0'.repeat(64)}` as const,
        size: 1,
      };
      const error: unknown = await layout.readBlob(missing, 10).catch((caught: unknown) => caught);
      await layout.close();
      expect(error).toBeInstanceOf(Error);
      expect(contentFailureOf(error)).toBe('not-found');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
