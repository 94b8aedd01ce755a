import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runMeasured, StepFailedError } from './measured-run.js';
import type { Results } from './results.js';
import { scenarioKey, scenarioLabel, type Scenario } from './scenarios.js';
import { holdsIndexOf } from './seed.js';
import type { Stage } from './stages.js';
import type { Tool } from './tools/tool.js';

const STEP_TIMEOUT_MS = 180_000;

/** The key of one tool's cell in one scenario. */
export const publishKey = (scenario: Scenario, tool: string): string => `${scenarioKey(scenario)}|${tool}`;

/**
 * One timed publication: the scenario's images (by digest) as one index under fresh tags, in the sources'
 * repository, a fresh repository, or a fresh repository on the second registry. Checked in the registry outside
 * the timing; a failure is recorded in the results, not thrown, so one broken tool spoils no run.
 */
export async function timePublish(
  stage: Stage,
  tool: Tool,
  scenario: Scenario,
  round: string,
  workRoot: string,
  results: Results | undefined,
): Promise<void> {
  const { platforms, tags: tagCount, route, delayMs } = scenario;
  const children = (route === 'same' ? stage.small : stage.layered).slice(0, platforms);
  const sourceRepo = children[0]?.repo ?? '';
  const to = route === 'cross-registry' ? stage.target : stage.source;
  if (to === undefined) throw new Error(`no second registry for ${scenarioLabel(scenario)}`);
  const slug = tool.name.replace(/[^a-z0-9]+/gi, '-');
  const run = `${slug}-${platforms}x${tagCount}-${delayMs}ms-${round}`;
  const targetRepo = route === 'same' ? sourceRepo : `bench/${route}-${run}`.toLowerCase();
  const tagNames = Array.from({ length: tagCount }, (_, i) => `${run}-t${i + 1}`);
  const workDir = await mkdtemp(join(workRoot, 'run-'));
  const key = publishKey(scenario, tool.name);
  try {
    const steps = await tool.steps({
      sources: children.map(({ digest }) => `${stage.source.proxy.host}/${sourceRepo}@${digest}`),
      tags: tagNames.map((tag) => `${to.proxy.host}/${targetRepo}:${tag}`),
      hosts: [...new Set([stage.source.proxy.host, to.proxy.host])],
      workDir,
      ...(stage.tls === undefined ? {} : { tls: stage.tls }),
    });
    stage.setDelay(delayMs);
    stage.take();
    const measurement = await runMeasured(steps, workDir, STEP_TIMEOUT_MS);
    const traffic = stage.take();
    for (const tag of tagNames) {
      if (!(await holdsIndexOf(to.registry, targetRepo, tag, children))) {
        throw new StepFailedError(
          `exited 0 but ${targetRepo}:${tag} is not an index of the ${platforms} images`,
        );
      }
    }
    results?.add(key, measurement.ms, measurement.peakRssKiB, traffic);
  } catch (error) {
    if (!(error instanceof StepFailedError)) throw error;
    console.error(
      `  ${tool.name}, ${scenarioLabel(scenario)}, ${delayMs} ms, ${round}: FAILED: ${error.message}`,
    );
    if (error.outputTail !== '') console.error(error.outputTail.replace(/^/gm, '    | '));
    results?.fail(key, error.message);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
