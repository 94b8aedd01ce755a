/** The `auth` section of a distribution config, by mode. */
export type RegistryAuthConfig =
  | { kind: 'none' }
  | { kind: 'htpasswd'; path: string }
  | { kind: 'token'; realm: string; service: string; issuer: string; rootCertBundle: string };

export interface RegistryConfigOptions {
  /** `host:port` to listen on. */
  addr: string;
  storageDir: string;
  /** Signs upload state; fixed so the registry does not warn about a generated one. */
  httpSecret: string;
  auth: RegistryAuthConfig;
  /** `storage.delete.enabled` (default true); off, DELETE of a manifest answers 405 UNSUPPORTED. */
  deletes?: boolean;
  /** Serve https with this certificate (`http.tls`), and log every request with its protocol (the access log). */
  tls?: { certificate: string; key: string };
  /** Over TLS, offer HTTP/2 by ALPN (default true; `http.http2.disabled`). */
  http2?: boolean;
}

/**
 * The config file for `docker-registry serve`, as JSON: YAML is a superset of JSON, so this needs no YAML
 * writer and no escaping rules of its own.
 */
export function registryConfig(options: RegistryConfigOptions): string {
  const config = {
    version: '0.1',
    // The access log ignores the level and would flood the test output; over TLS it tells HTTP/2 from HTTP/1.1.
    log: { level: 'warn', accesslog: { disabled: options.tls === undefined } },
    storage: {
      filesystem: { rootdirectory: options.storageDir },
      delete: { enabled: options.deletes ?? true },
    },
    http: {
      addr: options.addr,
      secret: options.httpSecret,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      ...(options.http2 === false ? { http2: { disabled: true } } : {}),
    },
    // Distribution refuses every foreign-layer URL unless allowed; Windows base layers live at Microsoft's registry.
    validation: { manifests: { urls: { allow: ['^https://mcr\\.microsoft\\.com/'] } } },
    ...authSection(options.auth),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

function authSection(auth: RegistryAuthConfig): Record<string, unknown> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'htpasswd':
      return { auth: { htpasswd: { realm: 'multiarch-publish-test-registry', path: auth.path } } };
    case 'token':
      return {
        auth: {
          token: {
            realm: auth.realm,
            service: auth.service,
            issuer: auth.issuer,
            rootcertbundle: auth.rootCertBundle,
          },
        },
      };
  }
}
