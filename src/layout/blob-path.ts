import { parseDigest } from '../oci/digest.js';

/**
 * Where a layout keeps the blob with `digest`: `blobs/sha256/<hex>`. The digest is validated first, so no crafted
 * digest (`sha256:../../x`) can name a path outside `blobs/`.
 */
export function blobPath(digest: string): string {
  const valid = parseDigest(digest);
  return `blobs/sha256/${valid.slice('sha256:'.length)}`;
}
