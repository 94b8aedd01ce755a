import { ReportedError } from '../../common/reported-error.js';
import { readFile } from 'node:fs/promises';

/** One `auths` entry of a Docker config, as docker login and docker/login-action write it. */
export interface AuthEntry {
  /** base64 of `username:password`. */
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** The parts of `config.json` that say where credentials are. */
export interface DockerConfig {
  auths: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers: Record<string, string>;
}

/** A Docker config (file or DOCKER_AUTH_CONFIG) that cannot be read or does not have the expected shape. */
export class DockerConfigError extends ReportedError {
  readonly title = 'Invalid Docker config';
  override name = 'DockerConfigError';
}

const ENTRY_FIELDS = ['auth', 'username', 'password', 'identitytoken', 'registrytoken'] as const;
const EXPECTED =
  'expected the JSON docker login writes: {"auths":{"<registry>":{"auth":"<base64 of user:password>"}}}';

/** Reads and parses a config file; undefined when there is none. */
export async function readDockerConfig(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DockerConfigError(`failed to read Docker config ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseDockerConfig(text, path);
}

/** Parses a Docker config; `source` names it in errors (a path, or `DOCKER_AUTH_CONFIG`). Other fields are ignored. */
export function parseDockerConfig(text: string, source: string): DockerConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the text around the error, and the text holds secrets: keep only the position, no cause.
    const position = /position \d+(?: \(line \d+ column \d+\))?/.exec((error as Error).message)?.[0];
    throw new DockerConfigError(
      `failed to parse Docker config ${source}: not valid JSON${position ? ` (at ${position})` : ''}; ${EXPECTED}`,
    );
  }
  if (!isRecord(json)) throw invalid(source, 'the top level is not an object');
  return {
    auths: parseAuths(json.auths, source),
    credHelpers: parseStringMap(json.credHelpers, source, 'credHelpers'),
    ...(json.credsStore === undefined || json.credsStore === ''
      ? {}
      : { credsStore: parseCredsStore(json, source) }),
  };
}

function parseAuths(value: unknown, source: string): Record<string, AuthEntry> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalid(source, '"auths" is not an object');
  const auths: Record<string, AuthEntry> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!isRecord(entry)) throw invalid(source, `"auths" entry "${key}" is not an object`);
    const parsed: AuthEntry = {};
    for (const field of ENTRY_FIELDS) {
      const fieldValue = entry[field];
      if (fieldValue === undefined || fieldValue === null || fieldValue === '') continue;
      if (typeof fieldValue !== 'string')
        throw invalid(source, `"${field}" of "auths" entry "${key}" is not a string`);
      parsed[field] = fieldValue;
    }
    auths[key] = parsed;
  }
  return auths;
}

function parseStringMap(value: unknown, source: string, name: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value) || !Object.values(value).every((item) => typeof item === 'string')) {
    throw invalid(source, `"${name}" is not an object of strings`);
  }
  return value as Record<string, string>;
}

function parseCredsStore(json: Record<string, unknown>, source: string): string {
  if (typeof json.credsStore !== 'string') throw invalid(source, '"credsStore" is not a string');
  return json.credsStore;
}

function invalid(source: string, problem: string): DockerConfigError {
  return new DockerConfigError(`invalid Docker config ${source}: ${problem}; ${EXPECTED}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
