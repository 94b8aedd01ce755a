import { Readable, Transform } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import type { ContentSource } from '../../oci/content-source.js';
import type { Descriptor } from '../../oci/manifest.js';

/** The bytes a platform's binary proof may still read, shared by its layers. */
export interface ReadBudget {
  readonly limit: number;
  used: number;
}

/** Thrown into a layer's stream when the budget is spent: the proof then says how far it got. */
class BudgetSpent extends Error {
  override name = 'BudgetSpent';
}

export function isBudgetSpent(error: unknown): boolean {
  return error instanceof BudgetSpent;
}

const isGzip = (head: Uint8Array): boolean => head[0] === 0x1f && head[1] === 0x8b;
const isZstd = (head: Uint8Array): boolean =>
  head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd;

/**
 * The uncompressed tar of `layer`, streamed: gzip, zstd or plain, told by the first bytes (media types are not
 * always right). Every byte read from the source counts against `budget`. Whoever stops iterating early stops the
 * download too.
 */
export async function* layerTar(
  from: ContentSource,
  layer: Descriptor,
  budget: ReadBudget,
): AsyncGenerator<Uint8Array> {
  const source = Readable.from(await from.openBlob(layer), { objectMode: false });
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      budget.used += chunk.byteLength;
      done(budget.used > budget.limit ? new BudgetSpent() : null, chunk);
    },
  });
  const streams: Array<Readable | Transform> = [source, meter];
  try {
    source.on('error', (error) => meter.destroy(error));
    const metered = source.pipe(meter);
    const chunks = metered[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const first = await chunks.next();
    if (first.done === true) return;
    const head = first.value;
    const inflater = isGzip(head) ? createGunzip() : isZstd(head) ? createZstdDecompress() : undefined;
    if (inflater === undefined) {
      yield* rest(head, chunks);
      return;
    }
    streams.push(inflater);
    const input = Readable.from(rest(head, chunks));
    streams.push(input);
    input.on('error', (error) => inflater.destroy(error));
    yield* input.pipe(inflater) as AsyncIterable<Uint8Array>;
  } finally {
    for (const stream of streams) stream.destroy();
  }
}

async function* rest(head: Buffer, chunks: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
}
