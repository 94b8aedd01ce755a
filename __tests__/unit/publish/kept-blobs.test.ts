import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import type { ContentSource } from '../../../src/oci/content-source.js';
import type { Descriptor } from '../../../src/oci/manifest.js';
import { KeptBlobs } from '../../../src/publish/sources/kept-blobs.js';
import { sha256 } from '../../support/memory-registry.js';

const LAYER_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** The run copies into another registry than its sources'. */
const ELSEWHERE = new Set(['mirror.test']);

function blob(text: string): { bytes: Buffer; descriptor: Descriptor } {
  const bytes = Buffer.from(text);
  return { bytes, descriptor: { mediaType: LAYER_TYPE, digest: sha256(bytes), size: bytes.byteLength } };
}

/** A registry repository serving `served` (by digest, in `chunk`-byte chunks), counting what it is asked. */
function countingSource(served: Map<string, Buffer>, failAfter?: number, chunk = 4) {
  const opened: string[] = [];
  const read: string[] = [];
  const source: ContentSource = {
    name: 'registry.test/acme/build',
    repository: { registry: 'registry.test', repository: 'acme/build' },
    manifest: () => Promise.reject(new Error('no manifests here')),
    readBlob: async (descriptor) => {
      read.push(descriptor.digest);
      return served.get(descriptor.digest) ?? Buffer.alloc(0);
    },
    openBlob: async (descriptor) => {
      opened.push(descriptor.digest);
      const bytes = served.get(descriptor.digest) ?? Buffer.alloc(0);
      async function* chunks() {
        for (let at = 0; at < bytes.byteLength; at += chunk) {
          if (failAfter !== undefined && at >= failAfter) throw new Error('connection reset');
          yield bytes.subarray(at, at + chunk);
        }
      }
      return Readable.from(chunks(), { objectMode: false });
    },
  };
  return { source, opened, read };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('KeptBlobs', () => {
  it('serves a blob read whole a second time from memory: its source is opened once', async () => {
    const layer = blob('layer bytes, read whole by the proof');
    const { source, opened } = countingSource(new Map([[layer.descriptor.digest, layer.bytes]]));
    const kept = new KeptBlobs(ELSEWHERE).around(source);

    expect(await readAll(await kept.openBlob(layer.descriptor))).toEqual(layer.bytes);
    expect(await readAll(await kept.openBlob(layer.descriptor))).toEqual(layer.bytes);
    expect(opened).toEqual([layer.descriptor.digest]);
    expect(kept.repository).toEqual(source.repository);
    expect(kept.name).toBe(source.name);
  });

  it('serves a config read with readBlob to the copy that opens it', async () => {
    const config = blob('{"architecture":"arm64","os":"linux"}');
    const { source, opened, read } = countingSource(new Map([[config.descriptor.digest, config.bytes]]));
    const kept = new KeptBlobs(ELSEWHERE).around(source);

    await kept.readBlob(config.descriptor, 1024);
    expect(await readAll(await kept.openBlob(config.descriptor))).toEqual(config.bytes);
    expect(read).toHaveLength(1);
    expect(opened).toEqual([]);
  });

  it('keeps nothing of a blob read in part: the proof stopped early, so the copy reads the source', async () => {
    const layer = blob('a layer the proof stopped reading after its first entries. '.repeat(20_000));
    const { source, opened } = countingSource(
      new Map([[layer.descriptor.digest, layer.bytes]]),
      undefined,
      65_536,
    );
    const kept = new KeptBlobs(ELSEWHERE).around(source);

    const stream = (await kept.openBlob(layer.descriptor)) as Readable;
    for await (const chunk of stream) {
      expect(chunk).toBeDefined();
      break;
    }
    expect(await readAll(await kept.openBlob(layer.descriptor))).toEqual(layer.bytes);
    expect(opened).toHaveLength(2);
  });

  it('keeps nothing that does not hash to its digest', async () => {
    const layer = blob('the bytes the descriptor names');
    const served = new Map([[layer.descriptor.digest, Buffer.from('other bytes, of the same length')]]);
    const { source, opened } = countingSource(served);
    const kept = new KeptBlobs(ELSEWHERE).around(source);

    await readAll(await kept.openBlob(layer.descriptor));
    await readAll(await kept.openBlob(layer.descriptor));
    expect(opened).toHaveLength(2);
  });

  it('passes a source that fails midway on to its reader, and keeps nothing of it', async () => {
    const layer = blob('a layer whose connection is reset after eight bytes');
    const { source, opened } = countingSource(new Map([[layer.descriptor.digest, layer.bytes]]), 8);
    const kept = new KeptBlobs(ELSEWHERE).around(source);

    await expect(readAll(await kept.openBlob(layer.descriptor))).rejects.toThrow('connection reset');
    await expect(readAll(await kept.openBlob(layer.descriptor))).rejects.toThrow('connection reset');
    expect(opened).toHaveLength(2);
  });

  it('keeps no blob above its size limit, and no more than its total', async () => {
    const big = blob('x'.repeat(40));
    const small = [blob('s'.repeat(20)), blob('t'.repeat(20)), blob('u'.repeat(20))];
    const all = [big, ...small];
    const { source, opened } = countingSource(new Map(all.map((b) => [b.descriptor.digest, b.bytes])));
    const kept = new KeptBlobs(ELSEWHERE, 32, 48).around(source);

    for (const round of [1, 2]) {
      for (const { descriptor } of all) await readAll(await kept.openBlob(descriptor));
      expect(opened).toHaveLength(round === 1 ? 4 : 4 + 2);
    }
    // The big one exceeds 32 bytes; of the three small ones, two fit in 48.
    expect(opened.filter((digest) => digest === big.descriptor.digest)).toHaveLength(2);
    expect(opened.filter((digest) => digest === small[2]?.descriptor.digest)).toHaveLength(2);
  });

  it('leaves a source as it is when the run only publishes to its registry: its blobs are mounted, never read', () => {
    const { source } = countingSource(new Map());
    expect(new KeptBlobs(new Set(['registry.test'])).around(source)).toBe(source);
    expect(new KeptBlobs(new Set()).around(source)).toBe(source);
  });

  it('leaves a layout on disk as it is: it reads as fast again', () => {
    const { source } = countingSource(new Map());
    const layout: ContentSource = { ...source, name: 'oci-layout:build/amd64' };
    delete (layout as { repository?: unknown }).repository;
    expect(new KeptBlobs(ELSEWHERE).around(layout)).toBe(layout);
  });
});
