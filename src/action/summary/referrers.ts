import type { CarriedReferrer } from '../../publish/result.js';
import { shortCode, shortDigest, table, text } from './html.js';

/** Every referrer (signature, SBOM, attestation) carried into a target: where, what it is, what it refers to. */
export function referrersSection(referrers: CarriedReferrer[]): string {
  if (referrers.length === 0) return '';
  return `<h3>Referrers carried</h3>\n${table(
    ['Repository', 'Referrer', 'Kind', 'Refers to'],
    referrers.map((referrer) => [
      shortCode(referrer.repository),
      shortDigest(referrer.digest),
      text(referrer.tag ?? referrer.artifactType ?? '–'),
      shortDigest(referrer.subject),
    ]),
  )}`;
}
