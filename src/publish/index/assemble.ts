import { platformMatches } from '../../oci/platform.js';
import { buildIndex, type BuiltIndex } from '../../oci/index-builder.js';
import type { Descriptor } from '../../oci/manifest.js';
import { isDockerMediaType, MediaType } from '../../oci/media-types.js';
import type { Child } from '../child.js';
import { PublishError } from '../publish-errors.js';
import type { DescriptorAnnotation, IndexFormat, PublishRequest } from '../request.js';

type IndexMediaType = typeof MediaType.OciIndex | typeof MediaType.DockerManifestList;

/** The index bytes for `children`, in the format the request asks for (the `format` input: auto, oci or docker). */
export function assembleIndex(children: Child[], request: PublishRequest): BuiltIndex {
  const manifests = children.map((child) => annotate(child, request.descriptorAnnotations));
  const mediaType = chooseMediaType(request.format, manifests, request.indexAnnotations);
  return buildIndex({ mediaType, manifests, annotations: request.indexAnnotations });
}

function annotate(child: Child, annotations: DescriptorAnnotation[]): Descriptor {
  if (child.kind !== 'image') return child.descriptor;
  // `manifest-descriptor[PLATFORM]` is written by the user: it matches as `platforms` entries do.
  const added = annotations.filter(
    (a) => a.platform === undefined || platformMatches(a.platform, child.platform),
  );
  if (added.length === 0) return child.descriptor;
  const merged = { ...child.descriptor.annotations };
  for (const { key, value } of added) merged[key] = value;
  return { ...child.descriptor, annotations: merged };
}

function chooseMediaType(
  format: IndexFormat,
  manifests: Descriptor[],
  indexAnnotations: Record<string, string>,
): IndexMediaType {
  const annotated = Object.keys(indexAnnotations).length > 0 || manifests.some((m) => hasAnnotations(m));
  const foreign = manifests.find((m) => !isDockerMediaType(m.mediaType));
  if (format === 'oci') return MediaType.OciIndex;
  if (format === 'auto') return annotated || foreign ? MediaType.OciIndex : MediaType.DockerManifestList;
  if (foreign !== undefined) {
    const hint = foreign.annotations?.['vnd.docker.reference.type']
      ? ' (an attestation: set attestations: drop)'
      : '';
    throw new PublishError(
      `format docker cannot hold ${foreign.digest}, a ${foreign.mediaType}${hint}; use format oci or auto`,
    );
  }
  if (annotated) {
    throw new PublishError(
      'format docker cannot carry annotations; use format oci or auto, or drop the annotations',
    );
  }
  return MediaType.DockerManifestList;
}

function hasAnnotations(descriptor: Descriptor): boolean {
  return Object.keys(descriptor.annotations ?? {}).length > 0;
}
