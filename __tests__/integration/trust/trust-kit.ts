// What every trust case shares: a real registry behind the fault proxy, a release to publish over, and the
// judge that reads every tag back with the raw client and counts, per class, what the figures count:
// cases tried, clean, tags left moved, forged workflow-command lines, secrets leaked.
import { afterAll, beforeAll } from '@jest/globals';
import { seedImage, type SeededImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import type { ActionRun } from '../../../testkit/run-action.js';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';

/** Given as the `password` input of every run: it must never be printed. */
export const SECRET = 'hunter2-trust-secret';
/** Put by hostile registry answers into text the action may print. */
export const FORGERY = '\n::add-mask::pwned\n::stop-commands::pwned\n##[warning]pwned\n';
/** Jest's own limit per case: generous, the runs bound themselves. */
export const CASE_TIMEOUT_MS = 120_000;
/** Short waits on a silent registry, so a stall is given up in seconds. */
export const QUICK = { MULTIARCH_PUBLISH_IDLE_TIMEOUT: '3s' };

export interface Site {
  registry: TestRegistry;
  proxy: FaultProxy;
  raw: RawRegistry;
}

export async function startSite(): Promise<Site> {
  const registry = await startRegistry({ auth: 'none', deletes: true });
  return { registry, proxy: await startFaultProxy(registry), raw: new RawRegistry(registry) };
}

export async function stopSite(site: Site | undefined): Promise<void> {
  await site?.proxy.stop();
  await site?.registry.stop();
}

/** `proxy-host/repo:tag`: what the action is given. */
export const ref = (site: Site, repo: string, tag: string): string => `${site.proxy.host}/${repo}:${tag}`;
export const tagPath = (repo: string, tag: string): string => `/v2/${repo}/manifests/${tag}`;

/** The two per-arch images to publish (tags amd64, arm64) and release 1 under every one of `tags`. */
export interface Release {
  repo: string;
  /** Where the two images to publish are (the target repository itself unless asked otherwise). */
  sourceRepo: string;
  tags: string[];
  /** The digest every tag holds before the run. */
  digest: string;
  amd64: SeededImage;
  arm64: SeededImage;
}

export async function seedRelease(
  site: Site,
  repo: string,
  tags: string[],
  sourceRepo: string = repo,
): Promise<Release> {
  const image = (architecture: string): Promise<SeededImage> =>
    seedImage(site.raw, { repo: sourceRepo, tag: architecture, architecture, salt: 'release 2' });
  const [amd64, arm64] = await Promise.all([image('amd64'), image('arm64')]);
  const release = await seedImage(site.raw, { repo, architecture: 'amd64', salt: 'release 1' });
  for (const tag of tags) await site.raw.putManifest(repo, tag, release.mediaType, release.bytes);
  return { repo, sourceRepo, tags, digest: release.digest, amd64, arm64 };
}

/** The inputs of a run publishing both images of `release` under all its tags, with credentials to keep quiet. */
export function publishInputs(
  site: Site,
  release: Release,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    sources: `${ref(site, release.sourceRepo, 'amd64')}\n${ref(site, release.sourceRepo, 'arm64')}`,
    tags: release.tags.map((tag) => ref(site, release.repo, tag)).join('\n'),
    username: 'bot',
    password: SECRET,
    ...extra,
  };
}

/** The digest the registry itself serves under the tag (undefined: no such tag). */
export async function heldBy(site: Site, repo: string, tag: string): Promise<string | undefined> {
  const served = await site.raw.getManifest(repo, tag);
  return served.status === 404 ? undefined : served.digest;
}

/** The `::error` line the runner turns into the failure annotation, decoded. */
export function annotation(run: ActionRun): string {
  const line = run.stdout.split('\n').find((entry) => entry.startsWith('::error '));
  return (line ?? '').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

/** What the action masks of its credentials: the password, and the Basic credentials made of it. */
const MASKED = [SECRET, Buffer.from(`bot:${SECRET}`).toString('base64')];

/** A line the runner would take as a workflow command the action did not mean to give. */
function isForged(line: string): boolean {
  const command = line.trimStart();
  if (line.includes('##[')) return true;
  if (!command.startsWith('::')) return false;
  if (command.startsWith('::add-mask::')) return !MASKED.includes(command.slice('::add-mask::'.length));
  return !/^::(?:(?:error|warning|notice)(?: title=[^:]*)?|debug|group|endgroup)::/.test(command);
}

/** How one run left things, as the raw client reads the registry. */
export interface Verdict {
  /** What each tag holds after the run, in the release's tag order. */
  held: Array<string | undefined>;
  clean: boolean;
  /** What kept the run from being clean, in words (empty when clean). */
  faults: string[];
  leftMoved: number;
  forged: number;
  leaked: number;
}

/** Per-class figures, printed once the file's cases have run. */
export class Figures {
  readonly #title: string;
  tried = 0;
  clean = 0;
  leftMoved = 0;
  forged = 0;
  leaked = 0;

  constructor(title: string) {
    this.#title = title;
  }

  /**
   * Reads every tag of `release` back and judges the run: clean when the tags moved all or none (tags another
   * writer holds, `others`, aside), the outputs name exactly the tags that hold the `digest` output, a failed
   * run left no tag moved, no line forged a workflow command, and the secret was printed nowhere.
   */
  async judge(site: Site, release: Release, run: ActionRun, others: string[] = []): Promise<Verdict> {
    const held = await Promise.all(release.tags.map((tag) => heldBy(site, release.repo, tag)));
    const digest = run.outputs.digest;
    const named = new Set((run.outputs.tags ?? '').split('\n').filter((line) => line !== ''));
    const truthful = release.tags.every(
      (tag, i) => named.has(ref(site, release.repo, tag)) === (digest !== undefined && held[i] === digest),
    );
    const ours = held.filter((digestHeld) => digestHeld === undefined || !others.includes(digestHeld));
    const moved = ours.filter((digestHeld) => digestHeld !== release.digest).length;
    const allOrNone =
      moved === 0 || (run.exitCode === 0 && ours.every((digestHeld) => digestHeld === digest));
    const leftMoved = run.exitCode === 0 ? 0 : moved;
    const forgedLines = run.stdout.split(/\r\n|\r|\n/).filter(isForged);
    const forged = forgedLines.length;
    const printed = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n');
    // Printed anywhere but in the runner's own masking command.
    const leaked = MASKED.reduce(
      (sum, secret) => sum + printed.split(`::add-mask::${secret}`).join('').split(secret).length - 1,
      0,
    );
    const faults = [
      ...(truthful ? [] : [`outputs name ${[...named].join(', ') || 'no tag'} at ${digest ?? 'no digest'}`]),
      ...(allOrNone ? [] : ['tags split between manifests']),
      ...(leftMoved === 0 ? [] : [`${leftMoved} tags left moved`]),
      ...forgedLines.map((line) => `forged: ${line}`),
      ...(leaked === 0 ? [] : [`${leaked} secrets leaked`]),
    ];
    const clean = faults.length === 0;
    this.tried += 1;
    if (clean) this.clean += 1;
    this.leftMoved += leftMoved;
    this.forged += forged;
    this.leaked += leaked;
    return { held, clean, faults, leftMoved, forged, leaked: leaked };
  }

  print(): void {
    process.stdout.write(
      `trust figures, ${this.#title}: ${this.tried} cases tried, ${this.clean} clean, ${this.leftMoved} tags ` +
        `left moved, ${this.forged} forged lines, ${this.leaked} secrets leaked\n`,
    );
  }
}

/**
 * One class's file: a site started before its cases and stopped after them, once the class's figures are printed.
 * `site()` is the site, once started.
 */
export function trustClass(title: string): { figures: Figures; site: () => Site } {
  const figures = new Figures(title);
  let site: Site | undefined;
  beforeAll(async () => {
    site = await startSite();
  }, CASE_TIMEOUT_MS);
  afterAll(async () => {
    figures.print();
    await stopSite(site);
  });
  return {
    figures,
    site: () => {
      if (site === undefined) throw new Error('the site is started before the first case');
      return site;
    },
  };
}

/** The inputs of a run that must stream the layers: read by the registry's own name, pushed through the proxy. */
export function copyingInputs(
  site: Site,
  release: Release,
  extra: Record<string, string> = {},
): Record<string, string> {
  return publishInputs(site, release, {
    sources: ['amd64', 'arm64'].map((tag) => `${site.registry.host}/${release.sourceRepo}:${tag}`).join('\n'),
    ...extra,
  });
}
