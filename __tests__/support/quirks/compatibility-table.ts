// The README's Registries table, rendered from what the matrix test saw: one row per profile, one column per
// scenario, each cell what a user of that registry gets.
import type { RegistryProfile } from './profile.js';

export const SCENARIOS = {
  mount: 'across repositories',
  copy: 'across registries',
  republish: 're-publish',
  immutable: 'immutable tag',
  rollback: 'refused tag',
  referrers: 'referrers: copy',
  append: 'append',
  mixed: 'OCI and Docker children',
  verify: 'verify mode',
} as const;

export type Scenario = keyof typeof SCENARIOS;

/** What a scenario ended in, as a user sees it. */
export type Outcome =
  | 'published'
  | 'published, referrers API'
  | 'published, referrers tag'
  | 'cosign tags only, warned'
  | 'refused, tags untouched'
  | 'every tag put back'
  | 'new tag left, named'
  | 'refused, index not written'
  | 'not applicable';

const CELLS: Record<Outcome, string> = {
  published: '✓',
  'published, referrers API': '✓ API',
  'published, referrers tag': '✓ tag',
  'cosign tags only, warned': 'signatures only³',
  'refused, tags untouched': 'refused¹',
  'every tag put back': '✓',
  'new tag left, named': 'new tag stays²',
  'refused, index not written': 'refused⁴',
  'not applicable': '–',
};

export type MatrixResults = Record<string, Partial<Record<Scenario, Outcome>>>;

export const TABLE_START =
  '<!-- registry-matrix:start (rendered by __tests__/integration/registries/matrix.test.ts) -->';
export const TABLE_END = '<!-- registry-matrix:end -->';

export function renderCompatibilityTable(profiles: RegistryProfile[], results: MatrixResults): string {
  const scenarios = Object.keys(SCENARIOS) as Scenario[];
  const header = `| Registry | ${scenarios.map((scenario) => SCENARIOS[scenario]).join(' | ')} | Log in with |`;
  const rule = `| --- | ${scenarios.map(() => '---').join(' | ')} | --- |`;
  const rows = profiles.map((profile) => {
    const cells = scenarios.map((scenario) => {
      const outcome = results[profile.id]?.[scenario];
      return outcome === undefined ? '?' : CELLS[outcome];
    });
    return `| ${profile.name} | ${cells.join(' | ')} | ${profile.loginStep} |`;
  });
  return [TABLE_START, '', header, rule, ...rows, '', TABLE_END].join('\n');
}

/** `readme` with its table replaced by `table`. */
export function replaceTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README has no registry-matrix section');
  return `${readme.slice(0, start)}${table}${readme.slice(end + TABLE_END.length)}`;
}
