// `npm run bench -- --proof`: what the binary proof costs against `prove: config`, for the action alone: the 7×2
// scenario on images holding Debian's static busybox (scripts/fetch-busybox.sh), at 0 and 25 ms each way, and one
// image whose top layer is 200 MB of data above a busybox layer (the proof reads all of it). Prints a table.
import { createCipheriv } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BUSYBOX_PLATFORMS, busyboxUserland, type DebianArch } from '../testkit/busybox.js';
import { file, seedLayeredImage } from '../testkit/layered-image.js';
import { RawRegistry } from '../testkit/raw-registry.js';
import { startRegistry } from '../testkit/registry-process.js';
import { onCleanup, throwIfInterrupted } from './cleanup.js';
import { startLatencyProxy } from './latency-proxy.js';
import { runMeasured } from './measured-run.js';
import { formatMiB, formatSpread, spreadOf } from './stats.js';
import { actionStep, publishInputs } from './tools/action.js';

const REPO = 'bench/proof';
const SEVEN: DebianArch[] = ['amd64', 'arm64', 'armhf', 'ppc64el', 's390x', 'i386', 'riscv64'];
const BIG_DATA_BYTES = 200 * 1000 * 1000;
const PROOFS = ['config', 'binaries'] as const;

interface Case {
  label: string;
  host: string;
  sources: string[];
  tags: number;
  take: () => number | undefined;
}

/** Incompressible bytes, the same on every run. */
function filler(bytes: number): Uint8Array {
  const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, 9), Buffer.alloc(16));
  return cipher.update(Buffer.alloc(bytes));
}

export async function proofCost(repetitions: number, workRoot: string): Promise<void> {
  const registry = await startRegistry();
  onCleanup(() => registry.stop());
  const raw = new RawRegistry(registry);
  console.log('bench --proof: seeding 7 busybox images and one with a 200 MB layer…');
  for (const arch of SEVEN) {
    await seedLayeredImage(raw, REPO, arch, {
      platform: BUSYBOX_PLATFORMS[arch],
      run: { Cmd: ['sh'] },
      layers: [busyboxUserland(arch)],
    });
  }
  await seedLayeredImage(raw, REPO, 'big', {
    platform: BUSYBOX_PLATFORMS.amd64,
    run: { Cmd: ['sh'] },
    layers: [
      busyboxUserland('amd64'),
      { entries: [file('data/blob.bin', filler(BIG_DATA_BYTES), 0o644)], compression: 'none' },
    ],
  });
  const proxy = await startLatencyProxy({
    targetPort: Number(registry.host.split(':')[1]),
    countRequests: true,
  });
  proxy.delayMs = 25;
  onCleanup(() => proxy.close());
  const seven = (host: string): string[] => SEVEN.map((arch) => `${host}/${REPO}:${arch}`);
  const cases: Case[] = [
    {
      label: '7×2, 0 ms',
      host: registry.host,
      sources: seven(registry.host),
      tags: 2,
      take: () => undefined,
    },
    {
      label: '7×2, 25 ms',
      host: proxy.host,
      sources: seven(proxy.host),
      tags: 2,
      take: () => proxy.take().requests,
    },
    {
      label: '1×1, 200 MB layer, 0 ms',
      host: registry.host,
      sources: [`${registry.host}/${REPO}:big`],
      tags: 1,
      take: () => undefined,
    },
  ];
  const rows: string[] = [];
  const times = new Map<string, number[]>();
  const rss = new Map<string, number[]>();
  const requests = new Map<string, number>();
  for (let rep = 0; rep <= repetitions; rep++) {
    for (const item of cases) {
      for (const prove of PROOFS) {
        throwIfInterrupted();
        const key = `${item.label} | ${prove}`;
        const workDir = await mkdtemp(join(workRoot, 'proof-'));
        try {
          const tags = Array.from(
            { length: item.tags },
            (_, i) => `${item.host}/${REPO}:${prove}-${rep}-${i}-${item.label.replace(/\W+/g, '')}`,
          );
          const inputs = { ...(await publishInputs(item.sources, tags, [item.host])), prove };
          item.take();
          const measured = await runMeasured([await actionStep(workDir, inputs)], workDir, 600_000);
          const sent = item.take();
          // Repetition 0 warms up and is not counted.
          if (rep === 0) continue;
          times.set(key, [...(times.get(key) ?? []), measured.ms]);
          if (measured.peakRssKiB !== undefined) rss.set(key, [...(rss.get(key) ?? []), measured.peakRssKiB]);
          if (sent !== undefined && !requests.has(key)) requests.set(key, sent);
        } finally {
          await rm(workDir, { recursive: true, force: true });
        }
      }
    }
  }
  for (const item of cases) {
    for (const prove of PROOFS) {
      const key = `${item.label} | ${prove}`;
      const peak = spreadOf(rss.get(key) ?? []);
      rows.push(
        `| ${key} | ${formatSpread(spreadOf(times.get(key) ?? []))} | ${formatMiB(peak?.median)} | ${requests.get(key) ?? '–'} |`,
      );
    }
  }
  console.log(
    [
      `\nBinary proof against prove: config, median (min–max) of ${repetitions}:`,
      '',
      '| scenario | prove | time | peak RSS | requests |',
      '| -------- | ----- | ---- | -------- | -------- |',
      ...rows,
    ].join('\n'),
  );
}
