/** The workflow run this step belongs to, as @actions/github's context reads it from the runner. */
export interface RunContext {
  /** `https://github.com`, or a GitHub Enterprise Server's URL. */
  serverUrl: string;
  /** `owner/name`. */
  repository: string;
  /** The commit the workflow runs on. */
  sha?: string;
  runId?: number;
}

/** Links for the job summary: the commit and the run. */
export interface RunLinks {
  commitUrl?: string;
  runUrl?: string;
}

export const SOURCE_ANNOTATION = 'org.opencontainers.image.source';
export const REVISION_ANNOTATION = 'org.opencontainers.image.revision';

/**
 * The run's context, or undefined outside a workflow run (no GITHUB_REPOSITORY). @actions/github is loaded only
 * here and only on a runner: its entry point also loads Octokit, about 1.1 MB that the other runs need not parse.
 */
export async function readRunContext(env: NodeJS.ProcessEnv = process.env): Promise<RunContext | undefined> {
  if (!env.GITHUB_REPOSITORY) return undefined;
  const { context } = await import('@actions/github');
  const { owner, repo } = context.repo;
  return {
    serverUrl: context.serverUrl.replace(/\/+$/, ''),
    repository: `${owner}/${repo}`,
    ...(context.sha && { sha: context.sha }),
    ...(Number.isSafeInteger(context.runId) && context.runId > 0 && { runId: context.runId }),
  };
}

/**
 * `org.opencontainers.image.source` (the repository's URL: GHCR links a package to its repository by it) and
 * `org.opencontainers.image.revision` (the commit). Nothing that changes from run to run of one commit.
 */
export function contextAnnotations(run: RunContext): Record<string, string> {
  return {
    [SOURCE_ANNOTATION]: `${run.serverUrl}/${run.repository}`,
    ...(run.sha && { [REVISION_ANNOTATION]: run.sha }),
  };
}

/** The commit and run pages of `run`. */
export function runLinks(run: RunContext): RunLinks {
  const repository = `${run.serverUrl}/${run.repository}`;
  return {
    ...(run.sha && { commitUrl: `${repository}/commit/${run.sha}` }),
    ...(run.runId !== undefined && { runUrl: `${repository}/actions/runs/${run.runId}` }),
  };
}
