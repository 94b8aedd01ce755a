import { type Fail, parseJsonObject, requiredString } from '../oci/json-fields.js';
import { OciLayoutError } from './layout-errors.js';
import { type LayoutFiles, readCapped } from './layout-files.js';

const MARKER_LIMIT = 64 * 1024;
// image-spec image-layout.md: "1.0.0" today; a later 1.x stays compatible, a 2.x would not.
const READABLE_VERSION = /^1\.\d+\.\d+$/;

/** Checks the `oci-layout` file: a JSON object whose imageLayoutVersion is 1.x; `name` is used in messages. */
export async function checkLayoutVersion(files: LayoutFiles, name: string): Promise<void> {
  const notLayout: Fail = (problem, cause) => {
    throw new OciLayoutError(`${name} is not an OCI image layout: ${problem}`, { cause });
  };
  const marker = files.find('oci-layout');
  if (marker === undefined) {
    return notLayout('it has no oci-layout file (expected one holding {"imageLayoutVersion":"1.0.0"})');
  }
  const bytes = await readCapped(marker, MARKER_LIMIT, `the oci-layout file of ${name}`);
  const inMarker: Fail = (problem, cause) => notLayout(`its oci-layout file: ${problem}`, cause);
  const version = requiredString(parseJsonObject(bytes, inMarker), 'imageLayoutVersion', '', inMarker);
  if (!READABLE_VERSION.test(version)) {
    notLayout(`its oci-layout file says imageLayoutVersion "${version}", expected 1.x (such as "1.0.0")`);
  }
}
