/** What an image config says about the program a container runs. */
export interface RunConfig {
  /** Entrypoint then Cmd, as the runtime joins them. */
  argv: string[];
  /** The `PATH` of `Env`, when set. */
  path?: string;
  workingDir: string;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** Reads `config.Entrypoint`, `Cmd`, `Env` and `WorkingDir` of an image config document (already parsed). */
export function runConfigOf(document: unknown): RunConfig {
  const config = (document as { config?: Record<string, unknown> } | null)?.config ?? {};
  const entrypoint = strings(config.Entrypoint);
  const cmd = strings(config.Cmd);
  const env = strings(config.Env);
  const path = env.find((item) => /^path=/i.test(item))?.slice('PATH='.length);
  const workingDir =
    typeof config.WorkingDir === 'string' && config.WorkingDir !== '' ? config.WorkingDir : '/';
  return { argv: [...entrypoint, ...cmd], ...(path === undefined ? {} : { path }), workingDir };
}
