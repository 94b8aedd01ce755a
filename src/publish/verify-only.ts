import type { Child } from './child.js';
import { PublishError } from './publish-errors.js';
import type { PublishRequest } from './request.js';

/**
 * A request without targets is verify mode: the sources are checked as they stand and nothing is written. Refuses,
 * before any request, what needs a target: a push, `append`, a bare digest (looked up in the target repositories).
 */
export function checkVerifyOnly(request: PublishRequest): void {
  if (request.push) {
    throw new PublishError('no target: give at least one tag, or set push: false to verify the sources only');
  }
  if (request.append) {
    throw new PublishError('append merges into the index at the first tag: give that tag in tags');
  }
  const digest = request.sources.find((source) => source.kind === 'digest');
  if (digest !== undefined) {
    throw new PublishError(
      `source "${digest.text}": a bare digest is looked up in the target repositories, and verify mode ` +
        '(push: false without tags) has none; write it as REPOSITORY@sha256:<hex>, or give tags',
    );
  }
}

/** Verify mode: every attestation must describe an image the sources hold (a publish drops such orphans). */
export function requireSubjects(children: Child[]): void {
  const images = new Set(children.filter((child) => child.kind === 'image').map((c) => c.descriptor.digest));
  const orphan = children.find(
    (child) => child.kind === 'attestation' && (child.subject === undefined || !images.has(child.subject)),
  );
  if (orphan !== undefined) {
    const why =
      orphan.subject === undefined
        ? 'names no valid subject'
        : `describes ${orphan.subject}, which is not among the images`;
    throw new PublishError(
      `source "${orphan.source}": attestation ${orphan.descriptor.digest} ${why}; the index is incomplete, rebuild it`,
    );
  }
}
