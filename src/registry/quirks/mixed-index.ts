/**
 * Quay before quay/quay#6070 (2026-05; self-hosted Red Hat Quay still runs such versions) refuses an OCI index that
 * lists Docker manifests: 400 MANIFEST_INVALID, detail "'application/vnd.docker.distribution.manifest.v2+json' is
 * not one of ['application/vnd.oci.image.manifest.v1+json', …]". A child's format cannot change without changing
 * its digest, so the way out is sources of one format.
 */
export function refusesMixedIndex(
  errors: ReadonlyArray<{ code: string; message?: string; detail?: unknown }>,
): boolean {
  return errors.some(
    (entry) =>
      entry.code === 'MANIFEST_INVALID' &&
      /vnd\.docker\.[^']*' is not one of \[[^\]]*vnd\.oci/.test(
        `${entry.message ?? ''} ${JSON.stringify(entry.detail ?? '')}`,
      ),
  );
}

export const MIXED_INDEX_HINT =
  'the registry (Quay before 2026-05) refuses an OCI index that lists Docker manifests: publish sources of one ' +
  'format, all OCI (buildx: --output type=image,oci-mediatypes=true) or all Docker';
