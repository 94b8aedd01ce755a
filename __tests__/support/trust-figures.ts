// The adversarial suites of __tests__/integration/trust/ each tally what they threw at the action and how it
// ended, and print one line of figures: `npm test -- __tests__/integration/trust` prints them per class.
import { expect } from '@jest/globals';
import type { ActionRun } from '../../testkit/run-action.js';

/** The commands the action itself writes to stdout; any other line the runner reads as a command is forged. */
const OWN_COMMAND = /^::(?:debug|notice|warning|error|group|endgroup|add-mask)(?: [^:]*)?::/;

/** The stdout lines as the runner reads them: split at \n, \r or \r\n, leading whitespace (NEL too) trimmed. */
export function runnerLines(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/).map((line) => line.replace(/^[\s\u0085]+/u, ''));
}

/** Lines the runner would take as a workflow command the action did not write. */
export function forgedLines(stdout: string): string[] {
  return runnerLines(stdout).filter(
    (line) => (line.startsWith('::') && !OWN_COMMAND.test(line)) || line.includes('##['),
  );
}

/**
 * Where a secret shows in what the run printed or wrote, other than in the `::add-mask::` command that hands it
 * to the runner (which the runner consumes and never shows).
 */
export function leakedSecrets(run: ActionRun, secrets: readonly string[]): string[] {
  const printed = runnerLines(`${run.stdout}\n${run.stderr}`)
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  const written = `${printed}\n${run.summary}\n${Object.values(run.outputs).join('\n')}`;
  return secrets.filter((secret) => written.includes(secret));
}

/** A class's tally: every case adds itself; `print` writes the line of figures. */
export function trustTally(name: string) {
  const figures = { cases: 0, clean: 0, forged: 0, leaked: 0, extra: new Map<string, number>() };
  return {
    /** Counts a run and asserts it forged no line and leaked none of `secrets`. */
    check(run: ActionRun, secrets: readonly string[] = []): void {
      const forged = forgedLines(run.stdout);
      const leaked = leakedSecrets(run, secrets);
      figures.cases += 1;
      figures.forged += forged.length;
      figures.leaked += leaked.length;
      expect(forged).toEqual([]);
      expect(leaked).toEqual([]);
    },
    /** Counts the latest case clean: called once its own assertions passed. */
    clean(): void {
      figures.clean += 1;
    },
    /** Adds to a class-specific figure (`tags left moved`, `corrupt blobs stored`). */
    add(figure: string, count: number): void {
      figures.extra.set(figure, (figures.extra.get(figure) ?? 0) + count);
    },
    print(): void {
      const extra = [...figures.extra].map(([figure, count]) => `, ${figure} = ${count}`).join('');
      process.stdout.write(
        `trust figures, ${name}: cases tried = ${figures.cases}, clean = ${figures.clean}, ` +
          `forged lines = ${figures.forged}, secrets leaked = ${figures.leaked}${extra}\n`,
      );
    },
  };
}
