import type { Platform } from '../../oci/platform.js';
import { entryError } from './list.js';

const INPUT = 'sources';
const PLACEHOLDER = /\{([^{}]*)\}/g;
const VALUES: Record<string, (platform: Platform) => string> = {
  os: (platform) => platform.os,
  arch: (platform) => platform.architecture,
  // Empty when the platform has none: `{arch}{variant}` is `arm64` for linux/arm64, `armv7` for linux/arm/v7.
  variant: (platform) => platform.variant ?? '',
};

/** One expansion of a templated `sources` entry, and the platform it is declared as. */
export interface TemplateExpansion {
  platform: Platform;
  text: string;
}

/** True when a `sources` entry holds `{…}`: no reference, digest or path we read contains a brace. */
export function isSourceTemplate(entry: string): boolean {
  return entry.includes('{') || entry.includes('}');
}

/**
 * Expands `{os}`, `{arch}` and `{variant}` over `platforms`, as the user wrote them (lowercased), one entry per
 * platform in their order. Each expansion is declared as its platform, so its config must agree.
 */
export function expandSourceTemplate(template: string, platforms: Platform[]): TemplateExpansion[] {
  const names = [...template.matchAll(PLACEHOLDER)].map(([, name = '']) => name);
  const unknown = names.find((name) => !(name in VALUES));
  if (unknown !== undefined || names.length === 0 || /[{}]/.test(template.replace(PLACEHOLDER, ''))) {
    const what = unknown === undefined ? 'unbalanced braces' : `unknown placeholder {${unknown}}`;
    throw entryError(INPUT, template, `${what}; a template uses {os}, {arch} and {variant}`);
  }
  const equals = template.indexOf('=');
  if (equals !== -1 && !template.startsWith('oci-layout:')) {
    throw entryError(
      INPUT,
      template,
      `a template is declared by its expansions: drop "${template.slice(0, equals + 1)}"`,
    );
  }
  if (platforms.length === 0) {
    throw entryError(INPUT, template, 'a template expands over platforms: list them in platforms');
  }
  return platforms.map((platform) => ({
    platform,
    text: template.replace(PLACEHOLDER, (_match, name: string) => VALUES[name]?.(platform) ?? ''),
  }));
}
