import type { ContentSource } from '../../oci/content-source.js';
import type { Descriptor } from '../../oci/manifest.js';
import { isForeignLayer } from './scan-layers.js';

/** A source whose image's top layer is already asked for, and how to drop that answer if nobody took it. */
export interface EarlyTopLayer {
  source: ContentSource;
  drop(): void;
}

/**
 * `from`, with the top layer of `layers` asked for now: the binary proof reads that layer first whatever the config
 * says, so its round trip overlaps the config's instead of following it. The first `openBlob` of that layer takes
 * the answer; `drop()` closes it when the proof ended (or failed) without taking it.
 */
export function askTopLayerEarly(from: ContentSource, layers: readonly Descriptor[]): EarlyTopLayer {
  const top = layers.at(-1);
  if (top === undefined || isForeignLayer(top)) return { source: from, drop: () => undefined };
  let early: Promise<NodeJS.ReadableStream> | undefined = from.openBlob(top);
  // Met again by whoever takes it; untaken, it only has to be closed.
  early.catch(() => undefined);
  return {
    source: {
      name: from.name,
      ...(from.repository === undefined ? {} : { repository: from.repository }),
      manifest: (reference) => from.manifest(reference),
      readBlob: (descriptor, maxBytes) => from.readBlob(descriptor, maxBytes),
      openBlob: (descriptor) => {
        const answer = early;
        if (answer === undefined || descriptor.digest !== top.digest) return from.openBlob(descriptor);
        early = undefined;
        return answer;
      },
    },
    drop: () => {
      const answer = early;
      early = undefined;
      answer?.then(
        (stream) => (stream as { destroy?: () => void }).destroy?.(),
        () => undefined,
      );
    },
  };
}
