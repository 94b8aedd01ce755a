/**
 * Refusals that say a tag may not be overwritten, in each registry's words. Recognised, they become an error that
 * names the registry, the repository and what to do, instead of a bare status.
 */

/** What a registry's immutable-tag refusal tells the user. */
export interface ImmutableTagRefusal {
  registry: string;
  advice: string;
}

interface Refusal {
  status: number;
  errors: ReadonlyArray<{ code: string; message?: string }>;
}

interface Shape {
  registry: string;
  matches(refusal: Refusal): boolean;
  advice: string;
}

const said = (refusal: Refusal, code: string, words?: RegExp): boolean =>
  refusal.errors.some(
    (entry) => entry.code === code && (words === undefined || words.test(entry.message ?? '')),
  );

const SHAPES: Shape[] = [
  {
    // 400 TAG_INVALID "… cannot be overwritten because the repository is immutable", even for the same digest
    // (aws/containers-roadmap#862, #2179).
    registry: 'ECR',
    matches: (refusal) => refusal.status === 400 && said(refusal, 'TAG_INVALID', /repository is immutable/i),
    advice:
      'ECR: publish each release under new tags, or exclude the tags that move (latest, 1, 1.2) from immutability: ' +
      'aws ecr put-image-tag-mutability --image-tag-mutability IMMUTABLE_WITH_EXCLUSION ' +
      '--image-tag-mutability-exclusion-filters …',
  },
  {
    // 412 PRECONDITION "… configured as immutable." (goharbor/harbor src/server/middleware/immutable/pushmf.go).
    registry: 'Harbor',
    matches: (refusal) => refusal.status === 412 && said(refusal, 'PRECONDITION', /immutable/i),
    advice:
      'Harbor: a tag immutability rule of the project matches this tag (Project → Policy → Tag Immutability): ' +
      'publish under new tags, or narrow the rule so the tags that move are not covered',
  },
  {
    // 409 TAG_IMMUTABLE (quay/quay endpoints/v2/errors.py, FEATURE_IMMUTABLE_TAGS).
    registry: 'Quay',
    matches: (refusal) => said(refusal, 'TAG_IMMUTABLE'),
    advice:
      'Quay: the tag is immutable: publish under a new tag, or make the tag mutable in the repository settings',
  },
  {
    // 405 REGISTRY_DISALLOWED_OPERATION: a lock with write-enabled=false (Azure/acr#561, Azure/acr-cli#70).
    registry: 'ACR',
    matches: (refusal) => said(refusal, 'REGISTRY_DISALLOWED_OPERATION'),
    advice:
      'ACR: the repository or image is locked against writes: ' +
      'az acr repository update --name <registry> --repository <name> --write-enabled true',
  },
  {
    // "Repository does not allow updating assets": a hosted repository without redeploy (docker/buildx#1660).
    registry: 'Nexus',
    matches: (refusal) =>
      refusal.errors.some((entry) => /does not allow updating assets/i.test(entry.message ?? '')),
    advice:
      "Nexus: the hosted repository's deployment policy disables redeploy: set it to Allow redeploy, or publish " +
      'under new tags',
  },
];

/** The registry and advice when `refusal` of a tag write says the tag is immutable, else undefined. */
export function immutableTagRefusal(refusal: Refusal): ImmutableTagRefusal | undefined {
  const shape = SHAPES.find((candidate) => candidate.matches(refusal));
  return shape === undefined ? undefined : { registry: shape.registry, advice: shape.advice };
}
