// `npm run bench`: this action against the other tools that publish a multi-platform index, side by side on one
// real registry behind a latency proxy. Writes bench/results.md and bench/results.svg. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { SeededImage } from '../testkit/images.js';
import { ACTION_ENTRY } from '../testkit/run-action.js';
import { startRegistry, type TestRegistry } from '../testkit/registry-process.js';
import { BIG_LAYER_BYTES, copyBigImage, seedBigImage } from './big-layer.js';
import { cleanUp, cleanUpOnSignals, InterruptedError, onCleanup, throwIfInterrupted } from './cleanup.js';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.js';
import { CAN_MEASURE_RSS, runMeasured, StepFailedError, type Step } from './measured-run.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { proofCost } from './proof-cost.js';
import { barChartSvg } from './report-svg.js';
import { resultsMarkdown, type RunInfo } from './report-markdown.js';
import { publishKey, Results, scenarioLabel, type Scenario } from './results.js';
import { holdsIndexOf, PLATFORMS, REPO, seedPlatformImages } from './seed.js';
import { formatMiB, spreadOf } from './stats.js';
import { actionStep, actionTool } from './tools/action.js';
import { buildahTool, podmanTool } from './tools/containers.js';
import { buildxTool, dockerManifestTool } from './tools/docker.js';
import type { Availability, Tool } from './tools/tool.js';

const STEP_TIMEOUT_MS = 180_000;
const ALL_TOOLS: Tool[] = [actionTool, buildxTool, dockerManifestTool, buildahTool, podmanTool];

interface Bench {
  options: BenchOptions;
  registry: TestRegistry;
  proxies: LatencyProxy[];
  images: SeededImage[];
  tools: Tool[];
  workRoot: string;
  results: Results;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') return void console.log(USAGE);
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < 24)
    throw new Error(`the bench runs the action on its own node, which must be 24+, not ${process.version}`);
  cleanUpOnSignals();
  if (options.proof) {
    const workRoot = await mkdtemp(join(tmpdir(), 'mpbench-'));
    onCleanup(() => rm(workRoot, { recursive: true, force: true }));
    return proofCost(options.repetitions, workRoot);
  }
  const started = performance.now();
  const loadBefore = loadavg()[0] ?? 0;

  console.log('bench: probing tools (the first run fetches docker-buildx)…');
  const probed = await Promise.all(
    ALL_TOOLS.map(async (tool) => ({ name: tool.name, tool, availability: await tool.probe() })),
  );
  for (const { name, availability } of probed) {
    console.log(
      availability.ok
        ? `  ${name}: ${availability.version}`
        : `  ${name}: SKIPPED (${availability.reason}); install: ${availability.install}`,
    );
  }
  const tools = probed.filter(({ availability }) => availability.ok).map(({ tool }) => tool);

  const workRoot = await mkdtemp(join(tmpdir(), 'mpbench-'));
  onCleanup(() => rm(workRoot, { recursive: true, force: true }));
  const registry = await startRegistry();
  onCleanup(() => registry.stop());
  const port = Number(registry.host.split(':')[1]);
  const proxies: LatencyProxy[] = [];
  for (const delayMs of options.latenciesMs) {
    const proxy = await startLatencyProxy(port, delayMs);
    onCleanup(() => proxy.close());
    proxies.push(proxy);
  }
  const images = await seedPlatformImages(
    registry,
    Math.max(...options.scenarios.map(({ platforms }) => platforms)),
  );
  const bench: Bench = { options, registry, proxies, images, tools, workRoot, results: new Results() };

  console.log('bench: warm-up (not counted)');
  const [warmUpProxy] = proxies;
  if (warmUpProxy !== undefined) {
    for (const tool of tools) await publish(bench, tool, { platforms: 2, tags: 1 }, warmUpProxy, 'warmup');
  }

  const coldAction: number[] = [];
  const coldActionRss: number[] = [];
  const coldNode: number[] = [];
  const coldNodeRss: number[] = [];
  for (let rep = 1; rep <= options.repetitions; rep++) {
    console.log(`bench: repetition ${rep}/${options.repetitions}`);
    // Rotate the order each repetition so no tool always runs right after the same neighbour.
    const shift = rep % Math.max(tools.length, 1);
    const order = [...tools.slice(shift), ...tools.slice(0, shift)];
    for (const scenario of options.scenarios) {
      for (const proxy of proxies) {
        for (const tool of order) await publish(bench, tool, scenario, proxy, `r${rep}`);
      }
    }
    const cold = await coldStart(workRoot);
    coldAction.push(cold.action.ms);
    coldNode.push(cold.node.ms);
    if (cold.action.peakRssKiB !== undefined) coldActionRss.push(cold.action.peakRssKiB);
    if (cold.node.peakRssKiB !== undefined) coldNodeRss.push(cold.node.peakRssKiB);
  }

  const big = options.big ? await bigLayer(bench) : undefined;
  const info: RunInfo = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    machine: `${machineLine()}, load average ${loadBefore.toFixed(1)} at the start and ${(loadavg()[0] ?? 0).toFixed(1)} at the end`,
    tools: probed.map(({ name, availability }) => ({ name, availability: shareable(availability) })),
    coldStart: [
      {
        what: '`node dist/index.js` (no inputs)',
        time: spreadOf(coldAction),
        rssKiB: spreadOf(coldActionRss),
      },
      { what: '`node -e 0`', time: spreadOf(coldNode), rssKiB: spreadOf(coldNodeRss) },
    ],
    big,
    totalSeconds: (performance.now() - started) / 1000,
  };
  await writeReports(bench, info);
}

/** One timed publication; a failure is recorded in the results, not thrown, so one broken tool spoils no run. */
async function publish(
  bench: Bench,
  tool: Tool,
  scenario: Scenario,
  proxy: LatencyProxy,
  round: string,
): Promise<void> {
  throwIfInterrupted();
  const { platforms, tags: tagCount } = scenario;
  const children = bench.images.slice(0, platforms);
  const slug = tool.name.replace(/[^a-z0-9]+/gi, '-');
  const tagNames = Array.from(
    { length: tagCount },
    (_, i) => `${slug}-${platforms}x${tagCount}-${proxy.delayMs}ms-${round}-t${i + 1}`,
  );
  const workDir = await mkdtemp(join(bench.workRoot, 'run-'));
  const key = publishKey(scenario, proxy.delayMs, tool.name);
  try {
    const steps = await tool.steps({
      sources: children.map(({ digest }) => `${proxy.host}/${REPO}@${digest}`),
      tags: tagNames.map((tag) => `${proxy.host}/${REPO}:${tag}`),
      hosts: [proxy.host],
      workDir,
    });
    proxy.take();
    const measurement = await runMeasured(steps, workDir, STEP_TIMEOUT_MS);
    const traffic = proxy.take();
    for (const tag of tagNames) {
      if (!(await holdsIndexOf(bench.registry, tag, children))) {
        throw new StepFailedError(`exited 0 but ${REPO}:${tag} is not an index of the ${platforms} images`);
      }
    }
    if (round !== 'warmup') bench.results.add(key, measurement.ms, measurement.peakRssKiB, traffic);
  } catch (error) {
    if (!(error instanceof StepFailedError)) throw error;
    console.error(
      `  ${tool.name} ${scenarioLabel(scenario)} ${proxy.delayMs} ms ${round} FAILED: ${error.message}`,
    );
    bench.results.fail(key, error.message);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function coldStart(workRoot: string) {
  const workDir = await mkdtemp(join(workRoot, 'cold-'));
  try {
    const action: Step = { ...(await actionStep(workDir, {})), mayFail: true };
    const node: Step = {
      command: process.execPath,
      args: ['-e', '0'],
      env: { PATH: process.env.PATH ?? '' },
    };
    return {
      action: await runMeasured([action], workDir, 60_000),
      node: await runMeasured([node], workDir, 60_000),
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function bigLayer(bench: Bench): Promise<string> {
  console.log('bench: --big: seeding a 1 GiB layer…');
  const target = await startRegistry();
  const stopTarget = onCleanup(() => target.stop());
  const workDir = await mkdtemp(join(bench.workRoot, 'big-'));
  try {
    const layerDigest = await seedBigImage(bench.registry);
    console.log('bench: --big: the action copies it to a second registry…');
    const { ms, peakRssKiB } = await copyBigImage(bench.registry, target, layerDigest, workDir);
    const mibPerSecond = BIG_LAYER_BYTES / 1024 ** 2 / (ms / 1000);
    return `One run, no added latency: ${(ms / 1000).toFixed(1)} s (${mibPerSecond.toFixed(0)} MiB/s), peak RSS ${formatMiB(peakRssKiB)}.`;
  } finally {
    await rm(workDir, { recursive: true, force: true });
    await target.stop();
    stopTarget();
  }
}

/** Versions without this machine's paths, fit for a committed file. */
function shareable(availability: Availability): Availability {
  if (availability.ok) return availability;
  return { ...availability, reason: availability.reason.replaceAll(dirname(dirname(ACTION_ENTRY)), '.') };
}

function machineLine(): string {
  const kernel = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim();
  const model = cpus()[0]?.model ?? 'unknown CPU';
  const rss = CAN_MEASURE_RSS ? 'peak RSS by GNU time' : 'no GNU time: peak RSS not measured';
  return `${cpus().length} × ${model} (nproc), ${kernel}, node ${process.version}, ${PLATFORMS.length} seeded platforms, ${rss}`;
}

async function writeReports(bench: Bench, info: RunInfo): Promise<void> {
  const { options, results, tools } = bench;
  const outDir = options.outDir ?? join(dirname(dirname(ACTION_ENTRY)), 'bench');
  const markdown = resultsMarkdown(options, results, info);
  const delayMs = options.latenciesMs[options.latenciesMs.length - 1] ?? 0;
  const names = tools.map(({ name }) => name);
  const svg = barChartSvg(
    `Publishing an index, ${delayMs} ms latency each way (median of ${options.repetitions})`,
    names,
    options.scenarios.map((scenario) => ({
      label: scenarioLabel(scenario),
      bars: names.map((series) => ({
        series,
        spread: results.cell(publishKey(scenario, delayMs, series)).time,
      })),
    })),
  );
  // Formatted as the repository's prettier config wants, so a fresh results.md keeps format:check green.
  const markdownPath = join(outDir, 'results.md');
  const formatted = await format(markdown, {
    ...(await resolveConfig(markdownPath)),
    filepath: markdownPath,
  });
  await writeFile(markdownPath, formatted);
  await writeFile(join(outDir, 'results.svg'), svg);
  console.log(`\n${formatted}\nbench: wrote ${join(outDir, 'results.md')} and results.svg`);
}

try {
  await main();
} catch (error) {
  const shown =
    error instanceof InterruptedError ? error.message : error instanceof Error ? error.stack : error;
  console.error(`bench: ${String(shown)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
