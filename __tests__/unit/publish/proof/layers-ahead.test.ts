import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import type { ContentSource } from '../../../../src/oci/content-source.js';
import type { Descriptor } from '../../../../src/oci/manifest.js';
import { READ_AHEAD_MAX_BYTES, readLayersAhead } from '../../../../src/publish/proof/layers-ahead.js';

const layer = (n: number, extra: Partial<Descriptor> = {}): Descriptor => ({
  mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  size: 1024,
  ...extra,
});

/** A registry repository that records every blob asked for, and hands out streams it can look at. */
function recordingSource() {
  const asked: string[] = [];
  const streams = new Map<string, PassThrough>();
  const source: ContentSource = {
    name: 'registry.test/acme/build',
    repository: { registry: 'registry.test', repository: 'acme/build' },
    manifest: () => Promise.reject(new Error('no manifests here')),
    readBlob: () => Promise.reject(new Error('no configs here')),
    openBlob: async (descriptor) => {
      asked.push(descriptor.digest);
      const stream = new PassThrough();
      streams.set(descriptor.digest, stream);
      return stream;
    },
  };
  return { source, asked, streams };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('readLayersAhead', () => {
  it('asks for the top layer at once; the proof’s read of it takes that answer, with no second request', async () => {
    const { source, asked, streams } = recordingSource();
    const [bottom, top] = [layer(1), layer(2)];
    const ahead = readLayersAhead(source, [bottom, top]);
    expect(asked).toEqual([top.digest]);

    expect(await ahead.source.openBlob(top)).toBe(streams.get(top.digest));
    expect(ahead.source.repository).toEqual(source.repository);
  });

  it('asks for the next small layer down while the proof reads the one above, and a big one only when opened', async () => {
    const { source, asked } = recordingSource();
    const big = layer(1, { size: READ_AHEAD_MAX_BYTES + 1 });
    const [middle, top] = [layer(2), layer(3)];
    const ahead = readLayersAhead(source, [big, middle, top]);

    await ahead.source.openBlob(top);
    expect(asked).toEqual([top.digest, middle.digest]);
    await ahead.source.openBlob(middle);
    expect(asked).toEqual([top.digest, middle.digest]);
    await ahead.source.openBlob(big);
    expect(asked).toEqual([top.digest, middle.digest, big.digest]);
  });

  it('closes the answers the proof never took: it stopped above them, or the config failed', async () => {
    const { source, streams } = recordingSource();
    const [bottom, top] = [layer(1), layer(2)];
    const ahead = readLayersAhead(source, [bottom, top]);
    await ahead.source.openBlob(top);
    ahead.drop();
    await settle();
    expect(streams.get(bottom.digest)?.destroyed).toBe(true);
    expect(streams.get(top.digest)?.destroyed).toBe(false);
  });

  it('never asks for a foreign layer (never fetched), nor anything for an image without layers', () => {
    const { source, asked } = recordingSource();
    expect(readLayersAhead(source, []).source).toBe(source);
    const foreign = layer(3, { urls: ['https://example.test/layer'] });
    expect(readLayersAhead(source, [foreign]).source).toBe(source);
    readLayersAhead(source, [layer(1), foreign]);
    expect(asked).toEqual([layer(1).digest]);
  });
});
