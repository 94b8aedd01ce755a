import { formatReference, formatRepository, parseReference, type Reference } from '../../oci/reference.js';
import { InputError } from '../input-error.js';
import { entryError, parseEntry } from './list.js';

const INPUT = 'tags';

/** Parses the `tags` entries: full references, each with a tag and no digest; duplicates dropped, order kept. */
export function parseTargets(entries: string[]): Reference[] {
  if (entries.length === 0) {
    throw new InputError(
      INPUT,
      'tags is required: give at least one full target reference, e.g. "ghcr.io/acme/app:1.0", ' +
        "or docker/metadata-action's json output as metadata, or set push: false to verify the sources " +
        'without publishing',
    );
  }
  const targets = new Map<string, Reference>();
  for (const entry of entries) {
    const reference = parseEntry(INPUT, entry, parseReference);
    if (reference.digest !== undefined) {
      throw entryError(
        INPUT,
        entry,
        `a target is a tag, not a digest: drop "@${reference.digest}" and add a tag`,
      );
    }
    if (reference.tag === undefined) {
      throw entryError(INPUT, entry, `no tag: add a tag, e.g. "${formatRepository(reference)}:latest"`);
    }
    const key = formatReference(reference);
    if (!targets.has(key)) targets.set(key, reference);
  }
  return [...targets.values()];
}
