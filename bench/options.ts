import { parseArgs } from 'node:util';
import type { Scenario } from './results.js';

export interface BenchOptions {
  repetitions: number;
  big: boolean;
  /** Where results.md and results.svg go. */
  outDir: string | undefined;
  latenciesMs: number[];
  scenarios: Scenario[];
}

export const USAGE = `npm run bench -- [--reps N] [--big] [--out DIR]
  --reps N   repetitions of every scenario (default 5; 1 for a quick look)
  --big      also time the action copying a 1 GiB layer between two registries (slow)
  --out DIR  write results.md and results.svg there (default bench/)`;

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      reps: { type: 'string', default: '5' },
      big: { type: 'boolean', default: false },
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
    outDir: values.out,
    latenciesMs: [0, 25],
    scenarios: [
      { platforms: 2, tags: 1 },
      { platforms: 7, tags: 2 },
      { platforms: 16, tags: 3 },
    ],
  };
}
