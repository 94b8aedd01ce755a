import type { Digest } from '../../../src/oci/digest.js';
import type { PublishResult } from '../../../src/publish/result.js';
import { RunRecord } from '../../../src/publish/run-record.js';
import { target } from '../../support/publish-request.js';

export const digestOf = (char: string): Digest => `sha256:${char.repeat(64)}`;

/** A two-platform OCI index with one attestation, pushed under one tag. */
export function publishResult(overrides: Partial<PublishResult> = {}): PublishResult {
  const manifest = new TextEncoder().encode('{"schemaVersion":2,"annotations":{"title":"café"}}');
  return {
    digest: digestOf('f'),
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: manifest.byteLength,
    manifest,
    image: `ghcr.io/acme/app@${digestOf('f')}`,
    images: [`ghcr.io/acme/app@${digestOf('f')}`, `docker.io/acme/app@${digestOf('f')}`],
    platforms: ['linux/amd64', 'linux/arm/v7'],
    required: [],
    missing: [],
    children: [
      {
        kind: 'image',
        platform: { os: 'linux', architecture: 'amd64' },
        digest: digestOf('a'),
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size: 1234,
        imageSize: 28_512_345,
        source: 'ghcr.io/acme/app:1.0-amd64',
      },
      {
        kind: 'image',
        platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
        digest: digestOf('b'),
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size: 987,
        source: `linux/arm/v7=${digestOf('b')}`,
      },
      {
        kind: 'attestation',
        platform: { os: 'unknown', architecture: 'unknown' },
        digest: digestOf('c'),
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size: 566,
        source: 'ghcr.io/acme/app:1.0-amd64',
        subject: digestOf('a'),
      },
    ],
    tags: [{ reference: target, status: 'moved', now: digestOf('f') }],
    dryRun: false,
    transfers: { present: 3, mounted: 2, copied: 1 },
    referrers: [],
    ...overrides,
  };
}

/** What publish records for `publishResult()`: the children, the index, and the one tag moved. */
export function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return Object.assign(new RunRecord(), {
    step: 'move tags',
    children: publishResult().children,
    index: digestOf('f'),
    tags: [{ reference: target, status: 'moved', previous: digestOf('e'), now: digestOf('f') }],
    ...overrides,
  });
}
