import { platformKey, platformMatches, type Platform } from '../../oci/platform.js';
import type { PublishRequest } from '../../publish/request.js';
import type { PublishedChild } from '../../publish/result.js';
import { shortCode, shortDigest, size, table, text } from './html.js';

/**
 * One row per child: its platform as its config says, in the one spelling used everywhere, what proved it (its
 * config, and with `prove: binaries` its programs, agreeing with what the source declared) or the check it
 * failed, a short digest, the image's size, the source. The same table for the index of a run that succeeded
 * and for what a failed run had read.
 */
export function childrenTable(children: PublishedChild[], request: PublishRequest | undefined): string {
  if (children.length === 0) return '<p>No source was read before the failure.</p>';
  return table(
    ['Platform', 'Proven', 'Digest', 'Size', 'Source'],
    children.map((child) => [
      platformCell(child, children),
      text(proof(child, request)),
      shortDigest(child.digest),
      size(child.imageSize),
      shortCode(child.source),
    ]),
  );
}

// A break allowed after each `/` and `)`, so windows(10.0.17763.5458)/amd64 wraps rather than widening the table.
function platformCell(child: PublishedChild, children: PublishedChild[]): string {
  const subject = children.find((other) => other.kind === 'image' && other.digest === child.subject);
  const shown =
    child.kind === 'image'
      ? platformKey(child.platform)
      : `attestation${subject ? ` of ${platformKey(subject.platform)}` : ''}`;
  return text(shown).replace(/[/)]/g, '$&<wbr>');
}

/**
 * What proves the platform: the config always, and what the binary proof checked (`config + /bin/app: aarch64
 * ELF`); a declared platform (`PLATFORM=REF`) agreed with it. Or the check the image failed, against what its
 * config says.
 */
function proof(child: PublishedChild, request: PublishRequest | undefined): string {
  if (child.failedCheck !== undefined) return `✗\u00a0${child.failedCheck}`;
  if (child.kind === 'attestation') return '–';
  const declared = request?.sources.find((source) => source.text === child.source)?.declared;
  return `✓\u00a0${child.proven ?? 'config'}${declared ? ', as declared' : ''}`;
}

/** Required platforms against those found, each ✓ or ✗; nothing when none are required. */
export function requiredLine(required: Platform[], children: PublishedChild[]): string {
  if (required.length === 0) return '';
  const images = children.filter((child) => child.kind === 'image');
  const marks = required.map((platform) => {
    const found = images.some((image) => platformMatches(platform, image.platform));
    return `${platformKey(platform)} ${found ? '✓' : '✗'}`;
  });
  return `<p>Required platforms: ${text(marks.join(', '))}</p>`;
}
