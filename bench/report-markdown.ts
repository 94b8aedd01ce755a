import type { BenchOptions } from './options.js';
import { publishKey, scenarioLabel, type Cell, type Results } from './results.js';
import { formatMiB, formatSpread, type Spread } from './stats.js';
import type { Availability } from './tools/tool.js';

export interface RunInfo {
  date: string;
  command: string;
  machine: string;
  tools: Array<{ name: string; availability: Availability }>;
  coldStart: Array<{ what: string; time: Spread | undefined; rssKiB: Spread | undefined }>;
  big: string | undefined;
  totalSeconds: number;
}

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const header = (cells: readonly string[]): string[] => [row(cells), row(cells.map(() => '---'))];

export function resultsMarkdown(options: BenchOptions, results: Results, info: RunInfo): string {
  const usable = info.tools.filter(({ availability }) => availability.ok).map(({ name }) => name);
  /** A section with one row per scenario at `delayMs` and one column per tool. */
  const scenarioTable = (title: string, delayMs: number, show: (cell: Cell) => string): string[] => [
    '',
    `## ${title}`,
    '',
    ...header(['scenario', ...usable]),
    ...options.scenarios.map((scenario) =>
      row([
        scenarioLabel(scenario),
        ...usable.map((tool) => show(results.cell(publishKey(scenario, delayMs, tool)))),
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
    '- Registry: Debian `docker-registry` on 127.0.0.1 behind a TCP proxy that delays each direction by the latency',
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
    '',
    '## Wall time: median (min–max)',
    '',
    'Platforms × tags; latency is per direction (a round trip costs twice as much). Fresh tags every run.',
    '',
    ...header(['scenario', 'latency', ...usable]),
  ];
  for (const scenario of options.scenarios) {
    for (const delayMs of options.latenciesMs) {
      const cells = usable.map((tool) => {
        const cell = results.cell(publishKey(scenario, delayMs, tool));
        return cell.failure === undefined ? formatSpread(cell.time) : `FAILED ${formatSpread(cell.time)}`;
      });
      lines.push(row([scenarioLabel(scenario), `${delayMs} ms`, ...cells]));
    }
  }
  const highest = options.latenciesMs[options.latenciesMs.length - 1] ?? 0;
  lines.push(
    ...scenarioTable('Requests and connections (one run, counted at the proxy)', highest, ({ traffic }) =>
      traffic === undefined ? '–' : `${traffic.requests} req / ${traffic.connections} conn`,
    ),
  );
  const largest = options.scenarios[options.scenarios.length - 1];
  if (largest !== undefined) {
    lines.push('', `Requests by kind, ${scenarioLabel(largest)}:`, '', ...header(['tool', 'requests']));
    for (const tool of usable) {
      const traffic = results.cell(publishKey(largest, highest, tool)).traffic;
      const kinds = [...(traffic?.byKind ?? new Map<string, number>())]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, count]) => `${kind} ×${count}`);
      lines.push(row([tool, kinds.join(', ') || '–']));
    }
  }
  lines.push(
    ...scenarioTable(
      'Peak RSS: median of the largest process of each run',
      options.latenciesMs[0] ?? 0,
      (cell) => formatMiB(cell.rssKiB?.median),
    ),
  );
  lines.push(
    '',
    '## Cold start: until exit, median (min–max)',
    '',
    ...header(['what', 'wall time', 'peak RSS']),
  );
  for (const { what, time, rssKiB } of info.coldStart)
    lines.push(row([what, formatSpread(time), formatMiB(rssKiB?.median)]));
  lines.push(
    '',
    '## 1 GiB layer, registry to registry (the action)',
    '',
    info.big ?? 'Not run (add `--big`).',
  );
  const failures = usable.flatMap((tool) =>
    options.scenarios.flatMap((scenario) =>
      options.latenciesMs.flatMap((delayMs) => {
        const failure = results.cell(publishKey(scenario, delayMs, tool)).failure;
        return failure === undefined
          ? []
          : [`- ${tool}, ${scenarioLabel(scenario)}, ${delayMs} ms: ${failure.split('\n')[0]}`];
      }),
    ),
  );
  if (failures.length > 0) lines.push('', '## Failures', '', ...failures);
  return `${lines.join('\n')}\n`;
}
