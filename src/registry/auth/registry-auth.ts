import type { Scope } from './scopes.js';

/** A Bearer challenge's token server, or an Authorization value sent as is (Basic, or a registry token). */
export type Scheme =
  | { kind: 'bearer'; realm: URL; service: string | undefined; issuer: string }
  | { kind: 'fixed'; authorization: string };

export interface Token {
  /** The Memo key it was minted under: registry, issuer and scope set. */
  key: string;
  scopes: Scope[];
  authorization: string;
  expiresAt: number;
  /** Minted after a 401 refused its predecessor: a 401 on this one is final. */
  answersRefusal: boolean;
}

export interface RegistryAuth {
  scheme?: Scheme;
  /** Everything asked of the registry so far, merged: each new token covers all of it. */
  scopes: Scope[];
  /** The newest token: it covers every scope asked before it was minted. */
  token?: Token;
  /** A 401 dropped the last token; the next one minted is the retry. */
  refused: boolean;
}

export type BearerScheme = Extract<Scheme, { kind: 'bearer' }>;
