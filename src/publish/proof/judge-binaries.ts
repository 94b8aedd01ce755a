import { formatSize } from '../../common/format-size.js';
import { describeKind, type ExecutableKind } from '../../oci/executable/executable-kind.js';
import { runsOn } from '../../oci/executable/platform-binary.js';
import type { ProgramResult } from '../../oci/executable/program.js';
import { platformKey, type Platform } from '../../oci/platform.js';
import { BinaryPlatformError } from './binary-proof-errors.js';
import type { LayerScan } from './scan-layers.js';

/** What the binary proof checked, for the summary's "Proven" column, and what it could not check. */
export interface BinaryProof {
  proven: string;
  notices: string[];
}

/** Names the image in messages: `linux/arm64 of ghcr.io/acme/app:1.0 (sha256:…)`. */
export interface ProofSubject {
  platform: Platform;
  what: string;
}

/**
 * Refuses an image whose program, or any sampled executable, is for another platform than its config says;
 * otherwise says what was checked. A sampled 32-bit companion (i386 on amd64, ARM on arm64) is tolerated.
 */
export function judgeBinaries(subject: ProofSubject, scan: LayerScan, budget: number): BinaryProof {
  const { platform } = subject;
  const claimed = platformKey(platform);
  const notices: string[] = [];
  const refuse = (file: string, kind: ExecutableKind, role: string): never => {
    throw new BinaryPlatformError(
      `failed to prove ${subject.what}: ${file} (${role}) is ${article(describeKind(kind))}, but the config ` +
        `says ${claimed}`,
    );
  };
  const parts: string[] = [];
  const seen = new Set<string>();
  const program = (result: ProgramResult | undefined, role: string, quietWhenMissing: boolean): void => {
    if (result === undefined) return;
    if (result.status === 'pending') {
      // A spent budget says so itself.
      if (!scan.spent)
        notices.push(`${subject.what}: the program the image runs was not found in the layers read`);
    } else if (result.status === 'missing') {
      if (!quietWhenMissing)
        notices.push(`${subject.what}: the program the image runs is not there: ${result.why}`);
    } else {
      const file = result.chain.join(' → ');
      if (result.kind === undefined) {
        notices.push(
          `${subject.what}: ${file} is neither an ELF nor a PE file; its platform was not checked`,
        );
        return;
      }
      const verdict = runsOn(result.kind, platform);
      if (verdict === 'no') refuse(file, result.kind, role);
      if (verdict === 'unknown') {
        notices.push(
          `${subject.what}: the action does not know which binaries ${claimed} runs; ${file} was not checked`,
        );
      }
      // A shell form's command is often the shell's own binary (busybox): said once.
      if (!seen.has(result.path)) parts.push(`${file}: ${describeKind(result.kind)}`);
      seen.add(result.path);
    }
  };
  program(scan.main, 'the program the image runs', false);
  program(scan.shellCommand, 'the command its shell runs', true);
  const foreign = scan.samples.filter((sample) => runsOn(sample.kind, platform, true) === 'no');
  const [first] = foreign;
  if (first !== undefined) {
    const role = `${foreign.length} of ${scan.samples.length} sampled executables are for another platform`;
    refuse(first.path, first.kind, role);
  }
  const sampled = scan.samples.length;
  if (sampled > 0) parts.push(`${sampled} ${sampled === 1 ? 'executable' : 'executables'} sampled`);
  if (scan.main === undefined && scan.samples.length === 0 && !scan.spent) {
    notices.push(
      `${subject.what}: no executable found in the layers read; only its config proves its platform`,
    );
  }
  if (scan.spent) {
    notices.push(
      `${subject.what}: the binary proof stopped at its budget of ${formatSize(budget)} read per platform, ` +
        (parts.length === 0 ? 'before it found a program to check' : `having checked ${parts.join(', ')}`),
    );
  }
  if (scan.skipped.length > 0) {
    notices.push(
      `${subject.what}: layers the action may not read were not checked (foreign or non-distributable): ` +
        scan.skipped.map((layer) => layer.digest).join(', '),
    );
  }
  const checked = parts.length === 0 ? 'config' : `config + ${parts.join(', ')}`;
  return { proven: scan.spent ? `${checked} (budget spent)` : checked, notices };
}

/** "an x86-64 ELF", "a ppc64le ELF". */
function article(noun: string): string {
  return `${/^(?:[aeiou]|x86|s390)/i.test(noun) ? 'an' : 'a'} ${noun}`;
}
