import { describe, expect, it } from '@jest/globals';
import { parseReference } from '../../../src/oci/reference.js';
import { publish } from '../../../src/publish/publish.js';
import type { SourceSpec } from '../../../src/publish/request.js';
import { RunRecord } from '../../../src/publish/run-record.js';
import { MemoryRegistry } from '../../support/memory-registry.js';
import { memoryImage } from '../../support/memory-images.js';
import { publishRequest } from '../../support/publish-request.js';
import { quiet } from '../../support/loggers.js';

const APP = parseReference('registry.test/acme/app');
const source = (text: string): SourceSpec => ({ kind: 'reference', text, reference: parseReference(text) });
/** Config plus layers, as the registry holds them: what the summary calls the image's size. */
const imageSize = (bytes: Uint8Array): number => {
  const { config, layers } = JSON.parse(new TextDecoder().decode(bytes));
  return [config, ...layers].reduce((sum: number, blob: { size: number }) => sum + blob.size, 0);
};

describe('publish fills the run record', () => {
  it('on success: every tag moved or created, each child with its image size', async () => {
    const reg = new MemoryRegistry();
    const amd64 = memoryImage(reg, APP, { architecture: 'amd64', tag: 'amd64' });
    const old = memoryImage(reg, APP, { architecture: 'amd64', tag: '1.0', salt: 'old' });
    const record = new RunRecord();
    const result = await publish(
      publishRequest({
        sources: [source('registry.test/acme/app:amd64')],
        targets: [parseReference('registry.test/acme/app:1.0'), parseReference('registry.test/acme/app:1')],
      }),
      reg,
      quiet,
      record,
    );
    expect(record.step).toBe('move tags');
    expect(record.index).toBe(result.digest);
    expect(record.tags.map(({ status, previous, now }) => ({ status, previous, now }))).toEqual([
      { status: 'moved', previous: old.digest, now: result.digest },
      { status: 'moved', now: result.digest },
    ]);
    expect(record.children).toEqual(result.children);
    expect(record.children[0]?.imageSize).toBe(imageSize(amd64.bytes));
    expect(result.images).toEqual([`registry.test/acme/app@${result.digest}`]);
  });

  it('on a failed check: the step, what was verified, and every tag untouched', async () => {
    const reg = new MemoryRegistry();
    const amd64 = memoryImage(reg, APP, { architecture: 'amd64', tag: 'amd64' });
    const record = new RunRecord();
    const attempt = publish(
      publishRequest({
        sources: [source('registry.test/acme/app:amd64')],
        targets: [parseReference('registry.test/acme/app:1.0')],
        platforms: [{ os: 'linux', architecture: 's390x' }],
      }),
      reg,
      quiet,
      record,
    );
    await expect(attempt).rejects.toThrow('required platform linux/s390x missing');
    expect(record.step).toBe('resolve and verify sources');
    expect(record.children.map((child) => child.digest)).toEqual([amd64.digest]);
    expect(record.index).toBeUndefined();
    expect(record.tags.map((tag) => tag.status)).toEqual(['untouched']);
    expect(reg.tagOf(APP, '1.0')).toBeUndefined();
  });
});
