// `npm run bench`: this action against the other tools that publish a multi-platform index, side by side on real
// registries behind latency proxies. Writes bench/results.md and bench/results.svg. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { ACTION_ENTRY } from '../testkit/run-action.js';
import { startRegistry } from '../testkit/registry-process.js';
import { createServerCertificate } from '../testkit/tls-certificate.js';
import { BIG_LAYER_BYTES, copyBigImage, seedBigImage, type BigCopier } from './big-layer.js';
import { cleanUp, cleanUpOnSignals, InterruptedError, onCleanup, throwIfInterrupted } from './cleanup.js';
import { CAN_MEASURE_RSS, runMeasured, type Step } from './measured-run.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { proofCost } from './proof-cost.js';
import { publishKey, timePublish } from './publish-run.js';
import { barChartSvg } from './report-svg.js';
import { resultsMarkdown, type BigCopy, type RunInfo } from './report-markdown.js';
import { Results } from './results.js';
import type { Wire } from './scenarios.js';
import { PLATFORMS } from './seed.js';
import { REGISTRY_HOST, startPlainStage, startTlsStage, TOKEN_HOST, type Stage } from './stages.js';
import { spreadOf } from './stats.js';
import { ACTION_NAME, actionStep, actionTool } from './tools/action.js';
import { buildahTool, podmanTool } from './tools/containers.js';
import { buildxTool, dockerManifestTool } from './tools/docker.js';
import type { Availability, Tool } from './tools/tool.js';

const OTHER_TOOLS: Tool[] = [buildxTool, dockerManifestTool, buildahTool, podmanTool];
const BENCH_DIR = join(dirname(dirname(ACTION_ENTRY)), 'bench');

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
  const candidates = [
    actionTool(),
    ...(options.compare === undefined ? [] : [actionTool(options.compare, `${ACTION_NAME} (compared)`)]),
    ...(options.actionOnly ? [] : OTHER_TOOLS),
  ];
  const probed = await Promise.all(
    candidates.map(async (tool) => ({ name: tool.name, tool, availability: await tool.probe() })),
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
  const stages = await startStages(options, workRoot);
  const results = new Results();
  const runs = (stage: Stage, tool: Tool): boolean => stage.wire === 'plain' || tool.plainOnly !== true;

  console.log('bench: warm-up (not counted)');
  for (const scenario of options.scenarios.filter(
    (s, i, all) => all.findIndex((o) => o.wire === s.wire) === i,
  )) {
    const stage = stageOf(stages, scenario.wire);
    for (const tool of tools.filter((tool) => runs(stage, tool))) {
      await timePublish(stage, tool, scenario, 'warmup', workRoot, undefined);
    }
  }

  const cold = {
    action: [] as number[],
    actionRss: [] as number[],
    node: [] as number[],
    nodeRss: [] as number[],
  };
  for (let rep = 1; rep <= options.repetitions; rep++) {
    console.log(`bench: repetition ${rep}/${options.repetitions}, load average ${loadavg()[0]?.toFixed(1)}`);
    // Rotate the order each repetition so no tool always runs right after the same neighbour.
    const shift = rep % Math.max(tools.length, 1);
    const order = [...tools.slice(shift), ...tools.slice(0, shift)];
    for (const scenario of options.scenarios) {
      const stage = stageOf(stages, scenario.wire);
      for (const tool of order.filter((tool) => runs(stage, tool))) {
        throwIfInterrupted();
        await timePublish(stage, tool, scenario, `r${rep}`, workRoot, results);
      }
    }
    const start = await coldStart(workRoot);
    cold.action.push(start.action.ms);
    cold.node.push(start.node.ms);
    if (start.action.peakRssKiB !== undefined) cold.actionRss.push(start.action.peakRssKiB);
    if (start.node.peakRssKiB !== undefined) cold.nodeRss.push(start.node.peakRssKiB);
  }

  const big = options.big ? await bigLayer(workRoot) : [];
  const info: RunInfo = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    machine: `${machineLine()}, load average ${loadBefore.toFixed(1)} at the start and ${(loadavg()[0] ?? 0).toFixed(1)} at the end`,
    tools: probed.map(({ name, availability }) => ({ name, availability: shareable(availability) })),
    coldStart: {
      action: { time: spreadOf(cold.action), rssKiB: spreadOf(cold.actionRss) },
      node: { time: spreadOf(cold.node), rssKiB: spreadOf(cold.nodeRss) },
    },
    big,
    totalSeconds: (performance.now() - started) / 1000,
    notes: await readFile(join(BENCH_DIR, 'notes.md'), 'utf8').catch(() => undefined),
  };
  await writeReports(options, results, tools, info);
}

/** The stages the chosen scenarios need; the HTTPS ones share one CA and one certificate for every address. */
async function startStages(options: BenchOptions, workRoot: string): Promise<Map<Wire, Stage>> {
  const stages = new Map<Wire, Stage>();
  const wires = [...new Set(options.scenarios.map(({ wire }) => wire))];
  const platformsOf = (wire: Wire): number =>
    Math.max(...options.scenarios.filter((s) => s.wire === wire).map(({ platforms }) => platforms));
  const certificate = wires.some((wire) => wire !== 'plain')
    ? await createServerCertificate(await mkdtemp(join(workRoot, 'ca-')), [REGISTRY_HOST, TOKEN_HOST])
    : undefined;
  for (const wire of wires) {
    console.log(`bench: starting and seeding the ${wire} registries…`);
    stages.set(
      wire,
      wire === 'plain' || certificate === undefined
        ? await startPlainStage(platformsOf(wire))
        : await startTlsStage(wire, certificate, platformsOf(wire), await mkdtemp(join(workRoot, 'token-'))),
    );
  }
  return stages;
}

function stageOf(stages: Map<Wire, Stage>, wire: Wire): Stage {
  const stage = stages.get(wire);
  if (stage === undefined) throw new Error(`no ${wire} stage`);
  return stage;
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

/** The 1 GiB image copied between two plain-HTTP registries (no proxy), by the action and by skopeo, each once. */
async function bigLayer(workRoot: string): Promise<BigCopy[]> {
  console.log('bench: --big: seeding a 1 GiB layer…');
  const source = await startRegistry();
  const stopSource = onCleanup(() => source.stop());
  try {
    const layerDigest = await seedBigImage(source);
    const copies: BigCopy[] = [];
    for (const copier of ['action', 'skopeo'] as BigCopier[]) {
      console.log(`bench: --big: ${copier} copies it to a fresh registry…`);
      const target = await startRegistry();
      const stopTarget = onCleanup(() => target.stop());
      const workDir = await mkdtemp(join(workRoot, 'big-'));
      try {
        const { ms, peakRssKiB } = await copyBigImage(copier, source, target, layerDigest, workDir);
        copies.push({ copier, ms, peakRssKiB, mibPerSecond: BIG_LAYER_BYTES / 1024 ** 2 / (ms / 1000) });
      } catch (error) {
        // One copier failing spoils neither the other's figure nor the run's report.
        console.error(`  --big: ${copier} FAILED: ${String(error)}`);
      } finally {
        await rm(workDir, { recursive: true, force: true });
        await target.stop();
        stopTarget();
      }
    }
    return copies;
  } finally {
    await source.stop();
    stopSource();
  }
}

/** Versions without this machine's paths, fit for a committed file. */
function shareable(availability: Availability): Availability {
  const root = dirname(dirname(ACTION_ENTRY));
  if (availability.ok) return { ...availability, version: availability.version.replaceAll(root, '.') };
  return { ...availability, reason: availability.reason.replaceAll(root, '.') };
}

function machineLine(): string {
  const kernel = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim();
  const model = cpus()[0]?.model ?? 'unknown CPU';
  const rss = CAN_MEASURE_RSS ? 'peak RSS by GNU time' : 'no GNU time: peak RSS not measured';
  return `${cpus().length} × ${model} (nproc), ${kernel}, node ${process.version}, ${PLATFORMS.length} seeded platforms, ${rss}`;
}

async function writeReports(
  options: BenchOptions,
  results: Results,
  tools: Tool[],
  info: RunInfo,
): Promise<void> {
  const outDir = options.outDir ?? BENCH_DIR;
  await mkdir(outDir, { recursive: true });
  const markdown = resultsMarkdown(options, results, info);
  const names = tools.map(({ name }) => name);
  const charted = options.scenarios.filter(({ delayMs }) => delayMs === 25);
  const svg = barChartSvg(
    `Publishing an index, 25 ms latency each way (median of ${options.repetitions})`,
    names,
    charted.map((scenario) => ({
      label: `${scenario.wire} ${scenario.route} ${scenario.platforms}×${scenario.tags}`,
      bars: names.map((series) => ({ series, spread: results.cell(publishKey(scenario, series)).time })),
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
  console.log(`\n${formatted}\nbench: wrote ${markdownPath} and results.svg`);
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
