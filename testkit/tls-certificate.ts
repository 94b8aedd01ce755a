import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A throwaway CA and a server certificate it signed for loopback addresses (127.0.0.1 by default) and localhost. */
export interface ServerCertificate {
  /** PEM of the CA: what a client trusts (NODE_EXTRA_CA_CERTS, or undici's `connect.ca`). */
  caPath: string;
  ca: string;
  /** PEM files for the registry's `http.tls`. */
  certificatePath: string;
  keyPath: string;
}

/** Runs openssl into `dir`: a self-signed CA, then a server key and certificate for `ips` signed by it. */
export async function createServerCertificate(
  dir: string,
  ips: readonly string[] = ['127.0.0.1'],
): Promise<ServerCertificate> {
  const file = (name: string) => join(dir, name);
  const openssl = (args: string[]) => promisify(execFile)('openssl', args);
  const extensions = file('server.ext');
  await writeFile(extensions, `subjectAltName=${ips.map((ip) => `IP:${ip}`).join(',')},DNS:localhost\n`);
  const newKey = ['-newkey', 'rsa:2048', '-nodes'];
  try {
    await openssl(
      ['req', '-x509', ...newKey, '-keyout', file('ca.key'), '-out', file('ca.crt')].concat([
        '-subj',
        '/CN=multiarch-publish test CA',
        '-days',
        '1',
      ]),
    );
    await openssl(
      ['req', ...newKey, '-keyout', file('server.key'), '-out', file('server.csr')].concat([
        '-subj',
        '/CN=127.0.0.1',
      ]),
    );
    await openssl(
      ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key')].concat([
        '-CAcreateserial',
        '-out',
        file('server.crt'),
        '-days',
        '1',
        '-extfile',
        extensions,
      ]),
    );
  } catch (error) {
    throw new Error(
      `failed to create a test CA and server certificate in ${dir} with openssl: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  return {
    caPath: file('ca.crt'),
    ca: await readFile(file('ca.crt'), 'utf8'),
    certificatePath: file('server.crt'),
    keyPath: file('server.key'),
  };
}
