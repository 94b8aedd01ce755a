import { looksLikeBareDigest, parseDigest } from '../../oci/digest.js';
import { parsePlatform, type Platform } from '../../oci/platform.js';
import { parseReference } from '../../oci/reference.js';
import type { SourceSpec } from '../../publish/request.js';
import { entryError, parseEntry } from './list.js';
import { expandSourceTemplate, isSourceTemplate } from './source-template.js';

const INPUT = 'sources';
const OCI_LAYOUT_PREFIX = 'oci-layout:';

/** Parses one `sources` entry; a template gives one source per platform, each declared as its platform. */
export function parseSources(entry: string, platforms: Platform[]): SourceSpec[] {
  if (!isSourceTemplate(entry)) return [parseSource(entry)];
  return expandSourceTemplate(entry, platforms).map(({ platform, text }) => ({
    ...parseSource(text),
    declared: platform,
  }));
}

/**
 * Parses one `sources` entry: `REF`, `sha256:<hex>` or `oci-layout:PATH`, each optionally as `PLATFORM=…`.
 */
export function parseSource(entry: string): SourceSpec {
  // A layout path may hold '=' itself: only a prefix before `oci-layout:` declares a platform.
  const layoutAt = entry.indexOf(OCI_LAYOUT_PREFIX);
  const equals = layoutAt === 0 ? -1 : entry.indexOf('=');
  const target = equals === -1 ? entry : entry.slice(equals + 1).trim();
  const declared =
    equals === -1 ? undefined : parseEntry(INPUT, entry, () => parsePlatform(entry.slice(0, equals).trim()));
  const base = { text: entry, ...(declared && { declared }) };
  if (target.startsWith(OCI_LAYOUT_PREFIX)) {
    const path = target.slice(OCI_LAYOUT_PREFIX.length).trim();
    if (path === '') {
      throw entryError(INPUT, entry, 'oci-layout: needs the path of an OCI layout directory or tar after it');
    }
    return { ...base, kind: 'layout', path };
  }
  // Checked before reference parsing: `sha256:abc` would otherwise read as the Docker Hub image `sha256`, tag `abc`.
  if (looksLikeBareDigest(target)) {
    return { ...base, kind: 'digest', digest: parseEntry(INPUT, entry, () => parseDigest(target)) };
  }
  return { ...base, kind: 'reference', reference: parseEntry(INPUT, entry, () => parseReference(target)) };
}
