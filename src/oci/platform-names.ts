/**
 * The os, architecture and variant values images use (Go's GOOS and GOARCH, containerd's aliases, the variants
 * Docker and containerd name), to tell a typing slip from a platform this list does not know yet.
 */
const OS_NAMES = [
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'illumos',
  'ios',
  'js',
  'linux',
  'macos',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
];
const ARCHITECTURES = [
  '386',
  'amd64',
  'arm',
  'arm64',
  'loong64',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'ppc64',
  'ppc64le',
  'riscv64',
  's390x',
  'wasm',
  'x86_64',
  'x86-64',
  'aarch64',
  'armhf',
  'armel',
  'i386',
  'i686',
];
/** Variants by architecture (containerd's: arm64 has v8, v8.1… v9, v9.x); an architecture not listed takes any. */
const VARIANTS: Record<string, { pattern: RegExp; named: string }> = {
  arm: { pattern: /^v?[5-8]$/, named: 'v5, v6, v7, v8' },
  arm64: { pattern: /^v?(?:8|9)(?:\.\d+)?$/, named: 'v8, v8.1…, v9, v9.1…' },
  amd64: { pattern: /^v[1-4]$/, named: 'v1, v2, v3, v4' },
};
const ALIASES: Record<string, string> = { aarch64: 'arm64', x86_64: 'amd64', 'x86-64': 'amd64' };
/** A value this close to a known one, and not known itself, is taken for a slip. */
const MAX_DISTANCE = 2;

/**
 * Why `os/architecture[/variant]` looks misspelt, with the nearest known spelling ("did you mean linux/amd64?"),
 * or undefined. A value far from every known one passes: a new architecture is not a mistake.
 */
export function misspeltPlatform(
  os: string,
  architecture: string,
  variant: string | undefined,
): string | undefined {
  const osSuggestion = nearest(os, OS_NAMES);
  const archSuggestion = nearest(architecture, ARCHITECTURES);
  const arch = archSuggestion ?? architecture;
  const variants = VARIANTS[ALIASES[arch] ?? arch];
  const variantWrong = variant !== undefined && variants !== undefined && !variants.pattern.test(variant);
  if (osSuggestion === undefined && archSuggestion === undefined && !variantWrong) return undefined;
  const base = `${osSuggestion ?? os}/${arch}`;
  // A wrong variant is dropped from the suggestion: the architecture alone names its usual variant.
  const suggestion = variant === undefined || variantWrong ? base : `${base}/${variant}`;
  const wrong = [
    osSuggestion && `os "${os}"`,
    archSuggestion && `architecture "${architecture}"`,
    variantWrong && `variant "${variant}" of ${arch}`,
  ].filter(Boolean);
  const variantsNote = variantWrong ? ` (${arch}'s variants: ${variants?.named})` : '';
  return `unknown ${wrong.join(' and ')}: did you mean ${suggestion}?${variantsNote}`;
}

/** The known value nearest to `value` when `value` is not known and a slip away from one; else undefined. */
function nearest(value: string, known: string[]): string | undefined {
  if (known.includes(value)) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(value, name);
    if (
      distance <= MAX_DISTANCE &&
      distance < value.length &&
      (best === undefined || distance < best.distance)
    ) {
      best = { name, distance };
    }
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, at(i - 2, j - 2) + 1);
      }
      (rows[i] as number[])[j] = distance;
    }
  }
  return at(a.length, b.length);
}
