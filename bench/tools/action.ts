import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACTION_ENTRY } from '../../testkit/run-action.js';
import type { Step } from '../measured-run.js';
import type { Tool } from './tool.js';

/**
 * `node dist/index.js` as a runner starts it: INPUT_* variables (the runner fills in action.yml's defaults, so
 * they are given here too), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, its own HOME. Same node as the bench.
 */
export async function actionStep(workDir: string, inputs: Record<string, string>): Promise<Step> {
  const outputFile = join(workDir, 'github-output');
  const summaryFile = join(workDir, 'github-step-summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
  return {
    command: process.execPath,
    args: [ACTION_ENTRY],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: workDir,
      RUNNER_TEMP: workDir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      ...inputEnv,
    },
  };
}

const ACTION_DEFAULTS = {
  format: 'auto',
  attestations: 'keep',
  append: 'false',
  push: 'true',
  prove: 'binaries',
};

export function publishInputs(sources: string[], tags: string[], hosts: string[]): Record<string, string> {
  return {
    ...ACTION_DEFAULTS,
    sources: sources.join('\n'),
    tags: tags.join('\n'),
    'insecure-registries': hosts.join('\n'),
  };
}

export const actionTool: Tool = {
  name: 'multiarch-publish',
  async probe() {
    if (!existsSync(ACTION_ENTRY)) {
      return { ok: false, reason: `no ${ACTION_ENTRY}`, install: 'npm run bundle' };
    }
    return { ok: true, version: `node dist/index.js on node ${process.version}` };
  },
  async steps({ sources, tags, hosts, workDir }) {
    return [await actionStep(workDir, publishInputs(sources, tags, hosts))];
  },
};
