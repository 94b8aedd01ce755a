// Class 8 of issue 16: two runs publishing the same tags. Another run's index landing under one of this run's
// tags right after this run wrote it fails this run (it does not exit 0 naming a tag that holds something else),
// and with `append`, a run whose platforms another run's write removed is warned, on either side of the race.
// The other run is played by the raw client, writing just before the proxy forwards one of this run's requests.
import { describe, expect, it } from '@jest/globals';
import { seedIndex, type SeededIndex } from '../../../testkit/images.js';
import { runAction } from '../../../testkit/run-action.js';
import type { FaultRule } from '../../support/fault-proxy.js';
import {
  CASE_TIMEOUT_MS,
  annotation,
  publishInputs,
  ref,
  seedRelease,
  tagPath,
  type Release,
  trustClass,
} from './trust-kit.js';

const { figures, site } = trustClass('class 8 (concurrent runs)');

/** Another run's index of one platform (amd64 of `release`), not yet under any tag. */
function otherIndex(release: Release): Promise<SeededIndex> {
  return seedIndex(site().raw, { repo: release.repo, children: [release.amd64] });
}

/** Writes `index` under `tag` just before the `nth` HEAD of that tag after this run's first PUT of it. */
function writeBeforeHead(release: Release, tag: string, nth: number, index: SeededIndex): FaultRule {
  let heads = 0;
  const path = tagPath(release.repo, tag);
  return {
    method: 'HEAD',
    path,
    fault: {
      kind: 'before',
      first: async () => {
        if (!site().proxy.seen.some((entry) => entry.method === 'PUT' && entry.path === path)) return;
        heads += 1;
        if (heads === nth) await site().raw.putManifest(release.repo, tag, index.mediaType, index.bytes);
      },
    },
  };
}

describe('two runs, one set of tags', () => {
  it(
    "another run's index lands under a tag right after this run wrote it: this run fails and leaves it alone",
    async () => {
      const release = await seedRelease(site(), 'trust8/split', ['1', '1.0', 'latest']);
      const other = await otherIndex(release);
      site().proxy.setRules([writeBeforeHead(release, '1.0', 1, other)]);
      const run = await runAction(publishInputs(site(), release));

      const verdict = await figures.judge(site(), release, run, [other.digest]);
      expect(run.exitCode).toBe(1);
      expect(verdict.held).toEqual([release.digest, other.digest, release.digest]);
      expect(annotation(run)).toContain(
        `${ref(site(), release.repo, '1.0')}: holds ${other.digest}, another writer's manifest (left alone)`,
      );
      expect(annotation(run)).toContain('give publishing jobs a `concurrency:` group');
      expect(run.summary).toContain('another writer');
      expect(run.outputs.tags).toBeUndefined();
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'append: another run appended between this run reading the tag and writing it: its platform is named gone',
    async () => {
      const release = await seedRelease(site(), 'trust8/append-before', ['1.0']);
      const other = await otherIndex(release);
      let heads = 0;
      // HEADs of the tag: the early answer, append's read, then the ask just before the write.
      site().proxy.setRules([
        {
          method: 'HEAD',
          path: tagPath(release.repo, '1.0'),
          fault: {
            kind: 'before',
            first: async () => {
              heads += 1;
              if (heads === 3)
                await site().raw.putManifest(release.repo, '1.0', other.mediaType, other.bytes);
            },
          },
        },
      ]);
      const run = await runAction(
        publishInputs(site(), release, { sources: ref(site(), release.repo, 'arm64'), append: 'true' }),
      );

      const verdict = await figures.judge(site(), release, run, [other.digest]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(
        `::warning::append: another run moved ${ref(site(), release.repo, '1.0')} to ${other.digest} after this run ` +
          `read it (${release.digest}); this run replaced it, and linux/amd64 from that run are gone`,
      );
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'append: another run replaced the tag after this run moved and read it: this run names its platform gone',
    async () => {
      const release = await seedRelease(site(), 'trust8/append-after', ['1.0']);
      const other = await otherIndex(release);
      // After the write: the read-back, then append's check; the other run lands between the two.
      site().proxy.setRules([writeBeforeHead(release, '1.0', 2, other)]);
      const run = await runAction(
        publishInputs(site(), release, { sources: ref(site(), release.repo, 'arm64'), append: 'true' }),
      );

      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(
        `::warning::append: another run replaced ${ref(site(), release.repo, '1.0')} after this one (now ` +
          `${other.digest}), and it no longer holds linux/arm64 from this run`,
      );
      // The outputs no longer name the tag: it holds the other run's index.
      expect(run.outputs.tags).toBe('');
      const verdict = await figures.judge(site(), release, run, [other.digest]);
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );
});
