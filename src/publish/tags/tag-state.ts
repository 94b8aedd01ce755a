import type { Reference } from '../../oci/reference.js';
import type { ManifestInfo, RegistryApi } from '../../registry/api.js';

/** Milliseconds since some fixed point; injected by tests. */
export type Clock = () => number;

/** What a tag held when asked, and when the answer came. */
export interface TagState {
  reference: Reference;
  held: ManifestInfo | undefined;
  answeredAt: number;
}

/** The tag part of a target (a target without one means `latest`). */
export function tagOf(target: Reference): string {
  return target.tag ?? 'latest';
}

/** One HEAD: what the tag holds now. */
export async function askTag(reference: Reference, registry: RegistryApi, now: Clock): Promise<TagState> {
  const held = await registry.headManifest(reference, tagOf(reference));
  return { reference, held, answeredAt: now() };
}
