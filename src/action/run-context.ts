/** The workflow run this step belongs to, as the runner describes it in the step's environment. */
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
 * The run's context from the runner's variables, or undefined outside a workflow run (no GITHUB_REPOSITORY).
 * Read here rather than through @actions/github, whose entry point also loads Octokit and its own HTTP stack:
 * about 1.8 MB to parse, before the first request, for four variables.
 */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext | undefined {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) return undefined;
  const runId = Number.parseInt(env.GITHUB_RUN_ID ?? '', 10);
  return {
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    repository: `${owner}/${repo}`,
    ...(env.GITHUB_SHA && { sha: env.GITHUB_SHA }),
    ...(Number.isSafeInteger(runId) && runId > 0 && { runId }),
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
