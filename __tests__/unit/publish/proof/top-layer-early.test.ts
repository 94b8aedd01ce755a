import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import type { ContentSource } from '../../../../src/oci/content-source.js';
import type { Descriptor } from '../../../../src/oci/manifest.js';
import { askTopLayerEarly } from '../../../../src/publish/proof/top-layer-early.js';

const layer = (n: number, extra: Partial<Descriptor> = {}): Descriptor => ({
  mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  size: 10,
  ...extra,
});

/** A registry repository that records every blob asked for, and hands out streams it can look at. */
function recordingSource() {
  const asked: string[] = [];
  const streams: PassThrough[] = [];
  const source: ContentSource = {
    name: 'registry.test/acme/build',
    repository: { registry: 'registry.test', repository: 'acme/build' },
    manifest: () => Promise.reject(new Error('no manifests here')),
    readBlob: () => Promise.reject(new Error('no configs here')),
    openBlob: async (descriptor) => {
      asked.push(descriptor.digest);
      const stream = new PassThrough();
      streams.push(stream);
      return stream;
    },
  };
  return { source, asked, streams };
}

describe('askTopLayerEarly', () => {
  it('asks for the top layer at once; the proof’s first read of it takes that answer, with no second request', async () => {
    const { source, asked, streams } = recordingSource();
    const layers = [layer(1), layer(2)];
    const early = askTopLayerEarly(source, layers);
    expect(asked).toEqual([layers[1]?.digest]);

    expect(await early.source.openBlob(layer(2))).toBe(streams[0]);
    await early.source.openBlob(layer(1));
    await early.source.openBlob(layer(2));
    expect(asked).toEqual([layer(2).digest, layer(1).digest, layer(2).digest]);
    early.drop();
    expect(streams[0]?.destroyed).toBe(false);
  });

  it('closes the answer nobody took: the config failed, or the proof never reached the layer', async () => {
    const { source, streams } = recordingSource();
    const early = askTopLayerEarly(source, [layer(1)]);
    early.drop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(streams[0]?.destroyed).toBe(true);
  });

  it('asks nothing for an image without layers, or whose top layer is foreign (never fetched)', () => {
    const { source, asked } = recordingSource();
    expect(askTopLayerEarly(source, []).source).toBe(source);
    const foreign = layer(3, { urls: ['https://example.test/layer'] });
    expect(askTopLayerEarly(source, [layer(1), foreign]).source).toBe(source);
    expect(asked).toEqual([]);
  });
});
