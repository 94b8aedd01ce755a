import { InputError } from '../input-error.js';

const INPUT = 'metadata';
const EXPECTED =
  "expected docker/metadata-action's json output, e.g. metadata: ${{ steps.meta.outputs.json }}";

/** What this action takes from docker/metadata-action's `json` output. */
export interface Metadata {
  /** Full references, as its `tags` output lists them. */
  tags: string[];
  /** `[LEVEL:]key=value` lines, as its `annotations` output writes them (`manifest:` by default). */
  annotations: string[];
  labels: Record<string, string>;
}

/**
 * Parses the `metadata` input: `{"tags":[…],"labels":{…},"annotations":[…]}`, every field optional; '' is none.
 * Other fields (`tag-names`, `version`…) are ignored.
 */
export function parseMetadata(text: string): Metadata | undefined {
  if (text === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(INPUT, `invalid metadata: not JSON (${(error as Error).message}); ${EXPECTED}`, {
      cause: error,
    });
  }
  if (!isRecord(json)) throw new InputError(INPUT, `invalid metadata: not a JSON object; ${EXPECTED}`);
  const labels = json.labels ?? {};
  if (!isRecord(labels) || !Object.values(labels).every((value) => typeof value === 'string')) {
    throw new InputError(INPUT, `invalid metadata: "labels" is not an object of strings; ${EXPECTED}`);
  }
  return {
    tags: stringList(json, 'tags'),
    annotations: stringList(json, 'annotations'),
    labels: labels as Record<string, string>,
  };
}

/**
 * The annotation lines the metadata gives the index: its annotations, or its labels (as `index:` lines) when it has
 * no annotations (metadata-action before 5.0 wrote none).
 */
export function metadataAnnotationLines(metadata: Metadata): string[] {
  if (metadata.annotations.length > 0) return metadata.annotations;
  return Object.entries(metadata.labels).map(([key, value]) => `index:${key}=${value}`);
}

function stringList(json: Record<string, unknown>, field: string): string[] {
  const value = json[field] ?? [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new InputError(INPUT, `invalid metadata: "${field}" is not a list of strings; ${EXPECTED}`);
  }
  return value.map((item) => item.trim()).filter((item) => item !== '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
