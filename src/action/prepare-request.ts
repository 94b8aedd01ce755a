import type { PublishRequest } from '../publish/request.js';
import { extractLayouts } from './extract-layout.js';
import type { ParsedInputs } from './inputs.js';
import {
  contextAnnotations,
  readRunContext,
  runLinks,
  type RunContext,
  type RunLinks,
} from './run-context.js';

/** The request as it will run: the run's annotations added, compressed layouts unpacked. */
export interface PreparedRequest {
  request: PublishRequest;
  /** The commit and run pages, for the summary; none outside a workflow run. */
  links: RunLinks | undefined;
  /** Removes what was unpacked. */
  cleanup(): Promise<void>;
}

/** Reads the run's context and unpacks compressed layouts: the file and environment work the inputs leave. */
export async function prepareRequest(
  inputs: ParsedInputs,
  debug: (message: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PreparedRequest> {
  const run = readRunContext(env);
  const annotated =
    run && inputs.contextAnnotations ? withRunAnnotations(inputs.request, run, debug) : inputs.request;
  const layouts = await extractLayouts(annotated.sources, env);
  return {
    request: { ...annotated, sources: layouts.sources },
    links: run && runLinks(run),
    cleanup: layouts.cleanup,
  };
}

/**
 * The request with the run's source and revision annotations under the index annotations it has (the user's win).
 * Under format docker they are left out: a Docker manifest list has no annotations, and the user asked for one.
 * Under auto they make the index OCI, as any annotation does: GHCR links a package to its repository by
 * `org.opencontainers.image.source` on the index, and no client this action supports lacks OCI indexes.
 */
export function withRunAnnotations(
  request: PublishRequest,
  run: RunContext,
  debug: (message: string) => void,
): PublishRequest {
  if (request.format === 'docker') {
    debug('context annotations left out: format docker has no annotations');
    return request;
  }
  return { ...request, indexAnnotations: { ...contextAnnotations(run), ...request.indexAnnotations } };
}
