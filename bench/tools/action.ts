import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ACTION_ENTRY } from '../../testkit/run-action.js';
import type { Step } from '../measured-run.js';
import { dockerAuths, type PublishJob, type Tool } from './tool.js';

/**
 * `node dist/index.js` as a runner starts it: the context variables every job step gets (GITHUB_REPOSITORY and
 * the rest, so whatever the action reads from them is timed too), INPUT_* variables (the runner fills in
 * action.yml's defaults, so they are given here too), the command files, its own HOME and Docker config. Over
 * HTTPS node trusts the bench's CA through NODE_EXTRA_CA_CERTS. Same node as the bench.
 */
export async function actionStep(
  workDir: string,
  inputs: Record<string, string>,
  job?: PublishJob,
  entry = ACTION_ENTRY,
): Promise<Step> {
  const file = (name: string): string => join(workDir, name);
  for (const name of ['github-output', 'github-step-summary', 'github-env', 'github-path', 'github-state']) {
    await writeFile(file(name), '');
  }
  await writeFile(file('event.json'), '{}\n');
  const dockerDir = file('docker');
  await mkdir(dockerDir, { recursive: true });
  const auths = job === undefined ? {} : dockerAuths(job);
  await writeFile(join(dockerDir, 'config.json'), JSON.stringify({ auths }));
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
  return {
    command: process.execPath,
    args: [entry],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: workDir,
      DOCKER_CONFIG: dockerDir,
      ...(job?.tls === undefined ? {} : { NODE_EXTRA_CA_CERTS: job.tls.caPath }),
      ...runnerContext(workDir),
      ...inputEnv,
    },
  };
}

/** What a GitHub-hosted runner sets for every step of a push-triggered job (values of a made-up run). */
function runnerContext(workDir: string): Record<string, string> {
  const file = (name: string): string => join(workDir, name);
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__multiarch-publish',
    GITHUB_ACTION_REPOSITORY: 'multiarch-publish/multiarch-publish',
    GITHUB_ACTION_REF: 'v1',
    GITHUB_ACTOR: 'bench-user',
    GITHUB_ACTOR_ID: '1',
    GITHUB_TRIGGERING_ACTOR: 'bench-user',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'bench-owner/bench-app',
    GITHUB_REPOSITORY_ID: '1',
    GITHUB_REPOSITORY_OWNER: 'bench-owner',
    GITHUB_REPOSITORY_OWNER_ID: '1',
    GITHUB_SHA: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_HEAD_REF: '',
    GITHUB_BASE_REF: '',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: file('event.json'),
    GITHUB_WORKFLOW: 'release',
    GITHUB_WORKFLOW_REF: 'bench-owner/bench-app/.github/workflows/release.yml@refs/heads/main',
    GITHUB_WORKFLOW_SHA: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    GITHUB_JOB: 'publish',
    GITHUB_RUN_ID: '1234567890',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_WORKSPACE: workDir,
    GITHUB_OUTPUT: file('github-output'),
    GITHUB_STEP_SUMMARY: file('github-step-summary'),
    GITHUB_ENV: file('github-env'),
    GITHUB_PATH: file('github-path'),
    GITHUB_STATE: file('github-state'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'GitHub Actions 1',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TEMP: workDir,
    RUNNER_TOOL_CACHE: file('toolcache'),
    RUNNER_WORKSPACE: workDir,
  };
}

/** What the runner passes for `github-token` (its default is the job's token). */
const JOB_TOKEN = 'ghs_bench0000000000000000000000000000000';

/**
 * Every input with action.yml's default, as the runner passes them, read from action.yml itself (each input's
 * `default:` line; the file keeps them on one line, quoted or not).
 */
async function actionDefaults(): Promise<Record<string, string>> {
  const yml = await readFile(join(dirname(dirname(ACTION_ENTRY)), 'action.yml'), 'utf8');
  const inputs = yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:'));
  const defaults: Record<string, string> = {};
  let name: string | undefined;
  for (const line of inputs.split('\n')) {
    const input = /^ {2}([a-z-]+):\s*$/.exec(line)?.[1];
    if (input !== undefined) name = input;
    const value = /^ {4}default:\s*(.*)$/.exec(line)?.[1];
    if (name !== undefined && value !== undefined) {
      defaults[name] = value.startsWith('${{') ? JOB_TOKEN : value.replace(/^'(.*)'$/, '$1');
    }
  }
  return defaults;
}

export async function publishInputs(
  sources: string[],
  tags: string[],
  insecure: string[],
): Promise<Record<string, string>> {
  return {
    ...(await actionDefaults()),
    sources: sources.join('\n'),
    tags: tags.join('\n'),
    'insecure-registries': insecure.join('\n'),
  };
}

export const ACTION_NAME = 'multiarch-publish';

/** The action at `entry` (default: this checkout's dist/index.js); `name` tells a second build apart (A/B runs). */
export function actionTool(entry = ACTION_ENTRY, name = ACTION_NAME): Tool {
  return {
    name,
    async probe() {
      if (!existsSync(entry)) return { ok: false, reason: `no ${entry}`, install: 'npm run bundle' };
      return {
        ok: true,
        version: `node ${entry === ACTION_ENTRY ? 'dist/index.js' : entry} on node ${process.version}`,
      };
    },
    async steps(job) {
      const { sources, tags, hosts, workDir } = job;
      const inputs = await publishInputs(sources, tags, job.tls === undefined ? hosts : []);
      return [await actionStep(workDir, inputs, job, entry)];
    },
  };
}
