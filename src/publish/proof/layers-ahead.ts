import { readingBlobsThrough, type ContentSource } from '../../oci/content-source.js';
import type { Descriptor } from '../../oci/manifest.js';
import { isForeignLayer } from './scan-layers.js';

/**
 * A layer this small is asked for while the one above it is read: its round trip would cost more than its bytes,
 * and if the proof stops above it, little was fetched for nothing.
 */
export const READ_AHEAD_MAX_BYTES = 8 * 1024 * 1024;

/** A source whose image layers are asked for ahead of the proof, and how to close what it never took. */
export interface LayersAhead {
  source: ContentSource;
  drop(): void;
}

/**
 * `from`, reading the image's `layers` ahead of the binary proof, which reads them top first: the top layer is asked
 * for at once (beside the config, whatever the config says), and each time the proof opens a layer, the next one
 * down is asked for too when it is small. The proof's own `openBlob` of a layer takes the answer already asked;
 * `drop()` closes the answers it never took (it stopped above them, or failed).
 */
export function readLayersAhead(from: ContentSource, layers: readonly Descriptor[]): LayersAhead {
  const order = [...layers].reverse().filter((layer) => !isForeignLayer(layer));
  const [top] = order;
  if (top === undefined) return { source: from, drop: () => undefined };
  const asked = new Map<string, Promise<NodeJS.ReadableStream>>();
  const everAsked = new Set<string>();
  const ask = (layer: Descriptor): void => {
    if (everAsked.has(layer.digest)) return;
    everAsked.add(layer.digest);
    const answer = from.openBlob(layer);
    // Met again by whoever takes it; untaken, it only has to be closed.
    answer.catch(() => undefined);
    asked.set(layer.digest, answer);
  };
  ask(top);
  return {
    source: readingBlobsThrough(from, {
      openBlob: (descriptor) => {
        const below = order[order.findIndex((layer) => layer.digest === descriptor.digest) + 1];
        if (below !== undefined && below.size <= READ_AHEAD_MAX_BYTES) ask(below);
        const answer = asked.get(descriptor.digest);
        if (answer === undefined) return from.openBlob(descriptor);
        asked.delete(descriptor.digest);
        return answer;
      },
    }),
    drop: () => {
      for (const answer of asked.values()) {
        answer.then(
          (stream) => (stream as { destroy?: () => void }).destroy?.(),
          () => undefined,
        );
      }
      asked.clear();
    },
  };
}
