import { parseScopes, type Scope } from './scopes.js';

/** One authentication challenge from a `WWW-Authenticate` header (RFC 7235). */
export interface Challenge {
  /** Lowercased scheme: `bearer`, `basic`, or whatever else the registry sent. */
  scheme: string;
  /** Auth parameters with lowercased names; values unquoted and unescaped. The first of a repeated name wins. */
  params: Record<string, string>;
  /** The token68 form (`Basic YWxh...`), when the challenge carries one instead of parameters. */
  token68?: string;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*(?=[ \t]*(?:,|$))/y;
const WHITESPACE = /[ \t]*/y;

/**
 * Parses every challenge of one or more `WWW-Authenticate` values. Several values may also arrive joined with
 * `, `. Malformed parts are skipped, never thrown: a registry's odd header must not hide its usable challenge.
 */
export function parseWwwAuthenticate(values: string | string[]): Challenge[] {
  const list = typeof values === 'string' ? [values] : values;
  return list.flatMap((value) => new ChallengeScanner(value).challenges());
}

const SCHEME_PREFERENCE = ['bearer', 'basic'];

/** The challenge to answer: Bearer over Basic; schemes we cannot answer are ignored. */
export function preferredChallenge(challenges: Challenge[]): Challenge | undefined {
  for (const scheme of SCHEME_PREFERENCE) {
    const found = challenges.find((challenge) => challenge.scheme === scheme);
    if (found) return found;
  }
  return undefined;
}

class ChallengeScanner {
  readonly #text: string;
  #position = 0;

  constructor(text: string) {
    this.#text = text;
  }

  challenges(): Challenge[] {
    const found: Challenge[] = [];
    let current: Challenge | undefined;
    while (this.#skipSeparators()) {
      const name = this.#match(TOKEN);
      if (name === undefined) {
        this.#skipElement();
        continue;
      }
      const spaced = this.#match(WHITESPACE) !== '';
      if (this.#peek() === '=') {
        // `name=value` belongs to the challenge before it; a parameter with no challenge is junk.
        this.#position++;
        const value = this.#parseValue();
        if (current && value !== undefined) addParam(current, name, value);
        continue;
      }
      current = { scheme: name.toLowerCase(), params: {} };
      found.push(current);
      // A scheme is followed by a token68 or by parameters, which the next turns of the loop read.
      const token68 = spaced ? this.#match(TOKEN68) : undefined;
      if (token68 !== undefined) current.token68 = token68;
    }
    return found;
  }

  #parseValue(): string | undefined {
    this.#match(WHITESPACE);
    if (this.#peek() === '"') return this.#parseQuoted();
    const start = this.#position;
    while (this.#position < this.#text.length && !/[,\s]/.test(this.#text[this.#position] ?? ''))
      this.#position++;
    return this.#position > start ? this.#text.slice(start, this.#position) : undefined;
  }

  /** A quoted-string with `\` escapes; an unterminated one runs to the end of the value. */
  #parseQuoted(): string {
    this.#position++;
    let value = '';
    while (this.#position < this.#text.length) {
      const char = this.#text[this.#position++] ?? '';
      if (char === '"') return value;
      if (char === '\\' && this.#position < this.#text.length) value += this.#text[this.#position++] ?? '';
      else value += char;
    }
    return value;
  }

  /** Skips whitespace and commas; false at the end of the text. */
  #skipSeparators(): boolean {
    while (this.#position < this.#text.length && /[\s,]/.test(this.#text[this.#position] ?? ''))
      this.#position++;
    return this.#position < this.#text.length;
  }

  /** Skips junk up to the next comma, stepping over quoted strings so their commas do not count. */
  #skipElement(): void {
    while (this.#position < this.#text.length && this.#peek() !== ',') {
      if (this.#peek() === '"') this.#parseQuoted();
      else this.#position++;
    }
  }

  #peek(): string | undefined {
    return this.#text[this.#position];
  }

  #match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.#position;
    const found = pattern.exec(this.#text);
    if (!found) return undefined;
    this.#position = pattern.lastIndex;
    return found[0];
  }
}

function addParam(challenge: Challenge, name: string, value: string): void {
  const key = name.toLowerCase();
  if (!Object.hasOwn(challenge.params, key)) challenge.params[key] = value;
}

/** The scopes a challenge names (`insufficient_scope`); a malformed list is ignored (`onIgnored` hears why). */
export function challengeScopes(challenge: Challenge, onIgnored: (reason: string) => void): Scope[] {
  try {
    return parseScopes(challenge.params.scope ?? '');
  } catch (error) {
    onIgnored((error as Error).message);
    return [];
  }
}
