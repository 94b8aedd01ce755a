import { parseArgs } from 'node:util';
import type { Scenario } from './results.js';

export interface BenchOptions {
  repetitions: number;
  big: boolean;
  /** Only the binary proof's cost against `prove: config` (bench/proof-cost.ts). */
  proof: boolean;
  /** Where results.md and results.svg go. */
  outDir: string | undefined;
  latenciesMs: number[];
  scenarios: Scenario[];
}

export const USAGE = `npm run bench -- [--reps N] [--big] [--out DIR]
  --reps N   repetitions of every scenario (default 5; 1 for a quick look)
  --big      also time the action copying a 1 GiB layer between two registries (slow)
  --proof    only the binary proof's cost against prove: config (7x2, and a 200 MB layer); prints a table
  --out DIR  write results.md and results.svg there (default bench/)`;

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      reps: { type: 'string', default: '5' },
      big: { type: 'boolean', default: false },
      proof: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const repetitions = Number(values.reps);
  if (!Number.isInteger(repetitions) || repetitions < 1)
    throw new Error(`--reps wants a positive integer, not ${values.reps}`);
  return {
    repetitions,
    big: values.big,
    proof: values.proof,
    outDir: values.out,
    latenciesMs: [0, 25],
    scenarios: [
      { platforms: 2, tags: 1 },
      { platforms: 7, tags: 2 },
      { platforms: 16, tags: 3 },
    ],
  };
}
