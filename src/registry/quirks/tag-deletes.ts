import { DOCKER_HUB_HOSTS, GHCR_HOST } from './registry-hosts.js';

/**
 * Registries whose API cannot delete a tag: GHCR (containers/skopeo#1880; only the GitHub REST API deletes, a
 * whole package version) and Docker Hub (docker/hub-feedback#1759; only the Hub API deletes). Both answer DELETE
 * with 405 UNSUPPORTED, so a tag a run created there cannot be taken back.
 */
const NO_TAG_DELETE: Record<string, string> = {
  [GHCR_HOST]:
    'GHCR deletes only through GitHub: delete the package version (Packages → the package → versions) or call ' +
    'DELETE /orgs/{org}/packages/container/{name}/versions/{id}',
  ...Object.fromEntries(
    DOCKER_HUB_HOSTS.map((host) => [
      host,
      'Docker Hub deletes tags only on hub.docker.com (the repository → Tags) or through the Hub API',
    ]),
  ),
};

/** Whether the registry at `host` is known to delete tags through its API (unknown registries are trusted to). */
export function deletesTags(host: string): boolean {
  return NO_TAG_DELETE[host.toLowerCase()] === undefined;
}

/** How to delete a tag by hand where the API cannot. */
export function deleteByHand(host: string): string {
  return NO_TAG_DELETE[host.toLowerCase()] ?? "delete the tag with the registry's own tools or web interface";
}
