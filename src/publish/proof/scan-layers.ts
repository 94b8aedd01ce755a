import { ReportedError } from '../../common/reported-error.js';
import type { ContentSource } from '../../oci/content-source.js';
import type { ExecutableKind } from '../../oci/executable/executable-kind.js';
import { LayeredTree, type TreeNode } from '../../oci/executable/layered-tree.js';
import type { OsPaths } from '../../oci/executable/os-paths.js';
import { ExecutableProbe } from '../../oci/executable/probe.js';
import {
  programsOf,
  resolveProgram,
  type ProgramContext,
  type ProgramResult,
} from '../../oci/executable/program.js';
import type { RunConfig } from '../../oci/executable/run-config.js';
import type { Descriptor } from '../../oci/manifest.js';
import { TarFormatError } from '../../oci/tar/tar-format-error.js';
import { readTarStream, type TarStreamEntry } from '../../oci/tar/tar-stream.js';
import { LayerReadError } from './binary-proof-errors.js';
import { isBudgetSpent, layerTar, type ReadBudget } from './layer-stream.js';

/** An executable of a search-path directory, read on the way. */
export interface Sampled {
  path: string;
  kind: ExecutableKind;
}

/** What reading an image's layers found. */
export interface LayerScan {
  /** The program the config runs, and the command of a shell form; absent when the config names none. */
  main?: ProgramResult;
  shellCommand?: ProgramResult;
  samples: Sampled[];
  /** Layers the action may not read (foreign, non-distributable): never fetched. */
  skipped: Descriptor[];
  /** True when the budget ran out before the scan was done. */
  spent: boolean;
  bytesRead: number;
}

/** How many executables each layer contributes to the sample before its reading may stop. */
export const SAMPLES_PER_LAYER = 4;

/** Foreign layers (old Windows base layers) point elsewhere with `urls`; the action does not fetch them. */
export function isForeignLayer(layer: Descriptor): boolean {
  return (layer.urls?.length ?? 0) > 0 || /foreign|nondistributable/.test(layer.mediaType);
}

/**
 * Reads the layers top first, each only until the program is resolved and the layer has given its share of the
 * sample: what an upper layer says about a path is final, so nothing below it can change an answer already had.
 */
export async function scanLayers(
  from: ContentSource,
  layers: readonly Descriptor[],
  paths: OsPaths,
  run: RunConfig,
  budget: ReadBudget,
  what: string,
): Promise<LayerScan> {
  const tree = new LayeredTree();
  const context: ProgramContext = {
    tree,
    paths,
    searchPath: paths.searchPath(run.path),
    workingDir: run.workingDir,
  };
  const names = programsOf(run.argv);
  const results: { main?: ProgramResult; shellCommand?: ProgramResult } = {};
  const settle = (): boolean => {
    for (const role of ['main', 'shellCommand'] as const) {
      const name = names[role];
      if (name !== undefined && (results[role] ?? { status: 'pending' }).status === 'pending') {
        results[role] = resolveProgram(name, context);
      }
    }
    return results.main?.status !== 'pending' && results.shellCommand?.status !== 'pending';
  };
  const sampleDirs = new Set(context.searchPath);
  const scan: LayerScan = { samples: [], skipped: [], spent: false, bytesRead: 0 };
  let whole = true;
  const top = [...layers].reverse();
  for (const [index, layer] of top.entries()) {
    if (isForeignLayer(layer)) {
      scan.skipped.push(layer);
      whole = false;
      continue;
    }
    let probe: ExecutableProbe | undefined;
    const sinkFor = (entry: TarStreamEntry): ExecutableProbe | undefined => {
      const path = paths.treePath(entry);
      probe =
        path !== undefined && paths.isExecutable(path, entry.mode)
          ? new ExecutableProbe(entry.size)
          : undefined;
      return probe;
    };
    let taken = 0;
    let stopped = false;
    try {
      for await (const entry of readTarStream(layerTar(from, layer, budget), sinkFor)) {
        const path = paths.treePath(entry);
        const executable = entry.kind === 'file' ? probe?.kind() : undefined;
        probe = undefined;
        if (path === undefined || !tree.add(index, path, nodeOf(entry, executable))) continue;
        if (executable !== undefined && executable.format !== 'script' && sampleDirs.has(parentOf(path))) {
          scan.samples.push({ path, kind: executable });
          taken++;
        }
        if (taken >= SAMPLES_PER_LAYER && settle()) {
          stopped = true;
          break;
        }
      }
    } catch (error) {
      // What the backend says (not found, refused, timed out) keeps its own title; the bytes' faults are ours.
      if (error instanceof ReportedError && !(error instanceof TarFormatError)) throw error;
      if (!isBudgetSpent(error)) {
        throw new LayerReadError(
          `failed to read layer ${layer.digest} of ${what}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      scan.spent = true;
      whole = false;
      break;
    }
    if (stopped) whole = false;
    else tree.finishLayer(index);
    settle();
  }
  if (whole) tree.finish();
  settle();
  scan.bytesRead = budget.used;
  return { ...scan, ...results };
}

function nodeOf(entry: TarStreamEntry, executable: ExecutableKind | undefined): TreeNode {
  switch (entry.kind) {
    case 'file':
      return executable === undefined
        ? { kind: 'file', mode: entry.mode }
        : { kind: 'file', mode: entry.mode, executable };
    case 'symlink':
      return { kind: 'symlink', target: entry.linkName };
    case 'hardlink':
      return { kind: 'hardlink', target: entry.linkName };
    default:
      return { kind: entry.kind };
  }
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}
