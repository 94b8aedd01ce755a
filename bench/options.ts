import { parseArgs } from 'node:util';
import { SCENARIOS, type Scenario, type Wire } from './scenarios.js';

export interface BenchOptions {
  repetitions: number;
  big: boolean;
  /** Only the binary proof's cost against `prove: config` (bench/proof-cost.ts). */
  proof: boolean;
  /** Where results.md and results.svg go. */
  outDir: string | undefined;
  scenarios: Scenario[];
  /** Another build's dist/index.js, timed as a tool of its own beside this one (a paired A/B run). */
  compare: string | undefined;
  /** Only the action (and `compare`), none of the other tools. */
  actionOnly: boolean;
}

export const USAGE = `npm run bench -- [--reps N] [--big] [--out DIR] [--wire W,…] [--compare FILE] [--action-only] [--proof]
  --reps N          repetitions of every scenario (default 5; 1 for a quick look)
  --big             also copy a 1 GiB layer between two registries, the action against skopeo copy (slow)
  --out DIR         write results.md and results.svg there (default bench/)
  --wire W,…        only the scenarios of these wires: plain, h2, h1 (default all)
  --compare FILE    also time another build's dist/index.js, interleaved with this one (a paired A/B run)
  --action-only     time only the action (and --compare), not the other tools
  --proof           only the binary proof's cost against prove: config (7x2, and a 200 MB layer); prints a table`;

const WIRES: readonly Wire[] = ['plain', 'h2', 'h1'];

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      reps: { type: 'string', default: '5' },
      big: { type: 'boolean', default: false },
      proof: { type: 'boolean', default: false },
      out: { type: 'string' },
      wire: { type: 'string', default: WIRES.join(',') },
      compare: { type: 'string' },
      'action-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const repetitions = Number(values.reps);
  if (!Number.isInteger(repetitions) || repetitions < 1)
    throw new Error(`--reps wants a positive integer, not ${values.reps}`);
  const wires = values.wire.split(',');
  const unknown = wires.filter((wire) => !(WIRES as readonly string[]).includes(wire));
  if (unknown.length > 0) throw new Error(`--wire takes ${WIRES.join(', ')}, not ${unknown.join(', ')}`);
  return {
    repetitions,
    big: values.big,
    proof: values.proof,
    outDir: values.out,
    scenarios: SCENARIOS.filter(({ wire }) => wires.includes(wire)),
    compare: values.compare,
    actionOnly: values['action-only'],
  };
}
