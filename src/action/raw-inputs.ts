/** The action's inputs, named exactly as in action.yml. */
export const INPUT_NAMES = [
  'sources',
  'tags',
  'platforms',
  'format',
  'annotations',
  'attestations',
  'referrers',
  'append',
  'push',
  'insecure-registries',
  'username',
  'password',
  'github-token',
] as const;

export type InputName = (typeof INPUT_NAMES)[number];

/** Every input as the runner hands it over: trimmed text, '' when unset. */
export type RawInputs = Record<InputName, string>;
