import { displayPlatform, samePlatform, type Platform } from '../../oci/platform.js';
import type { PublishRequest } from '../../publish/request.js';
import type { PublishedChild } from '../../publish/result.js';
import { shortCode, shortDigest, size, table, text } from './html.js';

/**
 * One row per child of the index: its platform in the one spelling used everywhere, that it was proven from
 * its config (and agrees with what the source declared), a short digest, the image's size, the source.
 */
export function childrenTable(children: PublishedChild[], request: PublishRequest | undefined): string {
  if (children.length === 0) return '<p>No source was verified before the failure.</p>';
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

function platformCell(child: PublishedChild, children: PublishedChild[]): string {
  if (child.kind === 'image') return text(displayPlatform(child.platform));
  const subject = children.find((other) => other.kind === 'image' && other.digest === child.subject);
  return text(subject ? `attestation of ${displayPlatform(subject.platform)}` : 'attestation');
}

function proof(child: PublishedChild, request: PublishRequest | undefined): string {
  if (child.kind === 'attestation') return 'subject in the index';
  const declared = request?.sources.find((source) => source.text === child.source)?.declared;
  return declared ? `✓ config, declared ${displayPlatform(declared)}` : '✓ config';
}

/** Required platforms against those found, each ✓ or ✗; nothing when none are required. */
export function requiredLine(required: Platform[], children: PublishedChild[]): string {
  if (required.length === 0) return '';
  const images = children.filter((child) => child.kind === 'image');
  const marks = required.map((platform) => {
    const found = images.some((image) => samePlatform(image.platform, platform));
    return `${displayPlatform(platform)} ${found ? '✓' : '✗'}`;
  });
  return `<p>Required platforms: ${text(marks.join(', '))}</p>`;
}
