import type { Traffic } from './latency-proxy.js';
import type { BenchOptions } from './options.js';
import { publishKey } from './publish-run.js';
import type { Cell, Results } from './results.js';
import { scenarioLabel, type Scenario } from './scenarios.js';
import { formatMiB, formatSpread, type Spread } from './stats.js';
import type { Availability } from './tools/tool.js';

export interface BigCopy {
  copier: string;
  ms: number;
  peakRssKiB: number | undefined;
  mibPerSecond: number;
}

interface ColdStart {
  time: Spread | undefined;
  rssKiB: Spread | undefined;
}

export interface RunInfo {
  date: string;
  command: string;
  machine: string;
  tools: Array<{ name: string; availability: Availability }>;
  coldStart: { action: ColdStart; node: ColdStart };
  big: BigCopy[];
  totalSeconds: number;
  /** bench/notes.md: what the figures mean and why a target is not met, written by hand. */
  notes: string | undefined;
}

const OURS = 'multiarch-publish';
const IMAGETOOLS = 'buildx imagetools';
const DOCKER_MANIFEST = 'docker manifest';
/** The targets of issue 20. */
const TARGET_RATIO = 1.5;
const TARGET_DOCKER_MANIFEST_RATIO = 10;
const TARGET_COLD_START_RATIO = 2;
const TARGET_BIG_RSS_MIB = 64;

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const header = (cells: readonly string[]): string[] => [row(cells), row(cells.map(() => '---'))];
const ratioOf = (theirs: Spread | undefined, ours: Spread | undefined): number | undefined =>
  theirs === undefined || ours === undefined ? undefined : theirs.median / ours.median;
const showRatio = (ratio: number | undefined): string => (ratio === undefined ? '–' : `${ratio.toFixed(2)}×`);
const verdict = (met: boolean | undefined): string =>
  met === undefined ? 'not measured' : met ? 'met' : '**not met**';
const where = (scenario: Scenario): string => `${scenarioLabel(scenario)}, ${scenario.delayMs} ms`;
const requestsOf = (traffic: Traffic | undefined): string =>
  traffic === undefined ? '–' : String(traffic.requests);

export function resultsMarkdown(options: BenchOptions, results: Results, info: RunInfo): string {
  const usable = info.tools.filter(({ availability }) => availability.ok).map(({ name }) => name);
  const cell = (scenario: Scenario, tool: string): Cell => results.cell(publishKey(scenario, tool));
  /** One row per scenario, one column per tool (plus `extra`, if any). */
  const perScenario = (show: (cell: Cell) => string, extra?: (scenario: Scenario) => string): string[] => [
    ...header(['scenario', 'latency', ...usable, ...(extra === undefined ? [] : ['ratio'])]),
    ...options.scenarios.map((scenario) =>
      row([
        scenarioLabel(scenario),
        `${scenario.delayMs} ms`,
        ...usable.map((tool) => show(cell(scenario, tool))),
        ...(extra === undefined ? [] : [extra(scenario)]),
      ]),
    ),
  ];
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (see README.md). ${info.date}, ${info.totalSeconds.toFixed(0)} s for the whole run.`,
    '',
    `- Command: \`${info.command}\``,
    `- Machine: ${info.machine}`,
    `- Repetitions: ${options.repetitions} per cell, interleaved (every tool in every scenario, then the next repetition)`,
    '- Registries: Debian `docker-registry` behind TCP proxies that delay each direction by the latency and make a',
    '  new connection wait one round trip (its handshake); HTTPS registries use token auth, their token server is',
    '  on its own address (127.0.0.2) behind its own proxy, all certificates from a CA the bench makes.',
    '- The action runs as a runner runs it: every context variable a runner sets, every input with its default.',
    '',
    '## Tools',
    '',
    ...header(['tool', 'version or why skipped']),
    ...info.tools.map(({ name, availability }) =>
      row([
        name,
        availability.ok
          ? availability.version
          : `SKIPPED: ${availability.reason} — install: \`${availability.install}\``,
      ]),
    ),
  ];

  const targets: string[][] = [];
  for (const scenario of options.scenarios) {
    const ours = cell(scenario, OURS);
    const theirs = cell(scenario, IMAGETOOLS);
    const ratio = ratioOf(theirs.time, ours.time);
    const fewer =
      ours.traffic === undefined || theirs.traffic === undefined
        ? undefined
        : ours.traffic.requests <= theirs.traffic.requests;
    targets.push([
      `≥ ${TARGET_RATIO}× imagetools, no more requests: ${where(scenario)}`,
      `${showRatio(ratio)}, ${requestsOf(ours.traffic)} / ${requestsOf(theirs.traffic)} requests`,
      verdict(ratio === undefined || fewer === undefined ? undefined : ratio >= TARGET_RATIO && fewer),
    ]);
  }
  for (const scenario of options.scenarios.filter((s) => s.wire === 'plain' && s.platforms === 7)) {
    const ratio = ratioOf(cell(scenario, DOCKER_MANIFEST).time, cell(scenario, OURS).time);
    targets.push([
      `≥ ${TARGET_DOCKER_MANIFEST_RATIO}× docker manifest: ${where(scenario)}`,
      showRatio(ratio),
      verdict(ratio === undefined ? undefined : ratio >= TARGET_DOCKER_MANIFEST_RATIO),
    ]);
  }
  const coldRatio = ratioOf(info.coldStart.action.time, info.coldStart.node.time);
  targets.push([
    `\`node dist/index.js\` (no inputs) ≤ ${TARGET_COLD_START_RATIO}× \`node -e 0\``,
    `${formatSpread(info.coldStart.action.time)} / ${formatSpread(info.coldStart.node.time)} = ${showRatio(coldRatio)}`,
    verdict(coldRatio === undefined ? undefined : coldRatio <= TARGET_COLD_START_RATIO),
  ]);
  const bigOurs = info.big.find(({ copier }) => copier === 'action');
  targets.push([
    `1 GiB copy peak RSS ≤ ${TARGET_BIG_RSS_MIB} MiB`,
    bigOurs === undefined ? 'not run (add `--big`)' : formatMiB(bigOurs.peakRssKiB),
    verdict(bigOurs?.peakRssKiB === undefined ? undefined : bigOurs.peakRssKiB <= TARGET_BIG_RSS_MIB * 1024),
  ]);
  lines.push('', '## Targets', '', ...header(['target', 'measured', '']), ...targets.map(row));

  lines.push(
    '',
    '## Wall time: median (min–max)',
    '',
    'Latency is per direction (a round trip costs twice as much). Fresh tags (and, across repositories or',
    'registries, a fresh target repository) every run. Ratio: imagetools / ours, above 1 means the action is faster.',
    '',
    ...perScenario(
      ({ failure, time }) => (failure === undefined ? formatSpread(time) : `FAILED ${formatSpread(time)}`),
      (scenario) => showRatio(ratioOf(cell(scenario, IMAGETOOLS).time, cell(scenario, OURS).time)),
    ),
    '',
    '## Requests and connections (first repetition)',
    '',
    'Over plain HTTP counted at the proxy; over HTTPS from the registries’ access logs and the token server.',
    '',
    ...perScenario(({ traffic }) =>
      traffic === undefined ? '–' : `${traffic.requests} req / ${traffic.connections} conn`,
    ),
    '',
    '## Requests by kind (first repetition, lowest latency of each scenario)',
    '',
    ...header(['scenario', 'tool', 'requests']),
  );
  const seen = new Set<string>();
  for (const scenario of options.scenarios) {
    const label = scenarioLabel(scenario);
    if (seen.has(label)) continue;
    seen.add(label);
    for (const tool of [OURS, IMAGETOOLS].filter((name) => usable.includes(name))) {
      const kinds = [...(cell(scenario, tool).traffic?.byKind ?? new Map<string, number>())]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, count]) => `${kind} ×${count}`);
      lines.push(row([label, tool, kinds.join(', ') || '–']));
    }
  }
  lines.push(
    '',
    '## Peak RSS: median of the largest process of each run',
    '',
    ...perScenario((rss) => formatMiB(rss.rssKiB?.median)),
    '',
    '## Cold start: until exit, median (min–max)',
    '',
    ...header(['what', 'wall time', 'peak RSS']),
    row([
      '`node dist/index.js` (no inputs, as a runner starts it)',
      formatSpread(info.coldStart.action.time),
      formatMiB(info.coldStart.action.rssKiB?.median),
    ]),
    row([
      '`node -e 0`',
      formatSpread(info.coldStart.node.time),
      formatMiB(info.coldStart.node.rssKiB?.median),
    ]),
    '',
    '## 1 GiB layer, registry to registry (plain HTTP, no added latency, one run each)',
    '',
  );
  if (info.big.length === 0) lines.push('Not run (add `--big`).');
  else {
    lines.push(...header(['copier', 'wall time', 'throughput', 'peak RSS']));
    for (const { copier, ms, mibPerSecond, peakRssKiB } of info.big) {
      const name = copier === 'action' ? OURS : '`skopeo copy`';
      lines.push(
        row([name, `${(ms / 1000).toFixed(1)} s`, `${mibPerSecond.toFixed(0)} MiB/s`, formatMiB(peakRssKiB)]),
      );
    }
  }
  const failures = usable.flatMap((tool) =>
    options.scenarios.flatMap((scenario) => {
      const { failure } = cell(scenario, tool);
      return failure === undefined ? [] : [`- ${tool}, ${where(scenario)}: ${failure.split('\n')[0]}`];
    }),
  );
  if (failures.length > 0) lines.push('', '## Failures', '', ...failures);
  if (info.notes !== undefined) lines.push('', info.notes.trim());
  return `${lines.join('\n')}\n`;
}
