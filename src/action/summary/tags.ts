import type { Digest } from '../../oci/digest.js';
import { formatReference } from '../../oci/reference.js';
import type { RunRecord, TagRecord } from '../../publish/run-record.js';
import { code, shortCode, shortDigest, table, text } from './html.js';

const OUTCOMES: Record<TagRecord['status'], string> = {
  unchanged: 'already there',
  moved: 'moved',
  restored: 'put back',
  stuck: '⚠ left at the new index',
  taken: "⚠ another writer's manifest",
  untouched: 'not touched',
  'dry-run': 'not pushed (dry run)',
};

/** One row per target tag: its outcome, what it held before the run and what it holds now. */
export function tagsTable(tags: TagRecord[]): string {
  if (tags.length === 0) return '';
  return table(
    ['Tag', 'Outcome', 'Before', 'Now'],
    tags.map((tag) => [
      shortCode(formatReference(tag.reference)),
      text(tag.status === 'moved' && tag.previous === undefined ? 'created' : OUTCOMES[tag.status]),
      digestOrNone(tag.previous),
      digestOrNone(tag.now),
    ]),
  );
}

function digestOrNone(digest: Digest | undefined): string {
  return digest === undefined ? '–' : shortDigest(digest);
}

/** How to look at what was published (or verified): the index by digest, and a pull by the first tag pushed. */
export function commands(image: string, pushed: TagRecord[]): string {
  const [first] = pushed;
  const pull =
    first === undefined ? [] : [`Pull: ${code(`docker pull ${formatReference(first.reference)}`)}`];
  const inspect = image === '' ? [] : [`Inspect: ${code(`docker buildx imagetools inspect ${image}`)}`];
  const parts = [...inspect, ...pull];
  return parts.length === 0 ? '' : `<p>${parts.join('<br>')}</p>`;
}

/** Whether the run wrote anything a user would notice, for the annotation and the summary of a failure. */
export function writtenSentence(record: RunRecord): string {
  const moved = record.tags.filter((tag) => tag.status === 'moved' || tag.status === 'stuck');
  if (moved.length > 0) {
    const names = moved.map((tag) => `${formatReference(tag.reference)} (now ${tag.now ?? 'unknown'})`);
    return `Tags left moved: ${names.join(', ')}.`;
  }
  const taken = record.tags.filter((tag) => tag.status === 'taken');
  if (taken.length > 0) {
    const names = taken.map((tag) => `${formatReference(tag.reference)} (now ${tag.now ?? 'unknown'})`);
    return `Tags another writer moved meanwhile, left alone: ${names.join(', ')}.`;
  }
  const restored = record.tags.filter((tag) => tag.status === 'restored');
  if (restored.length > 0) {
    return `Every tag moved was put back (${restored.map((tag) => formatReference(tag.reference)).join(', ')}).`;
  }
  if (record.step === 'copy children' || record.step === 'move tags') {
    return 'No tag was moved; some children may already be in the target repositories, where no tag refers to them.';
  }
  return 'Nothing was written.';
}
