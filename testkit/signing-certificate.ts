import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A throwaway RSA key and its self-signed certificate: the token server signs with it, the registry trusts it. */
export interface SigningCertificate {
  privateKey: KeyObject;
  /** PEM file for the registry's `rootcertbundle`. */
  certificatePath: string;
  /** Base64 (not base64url) DER, as the JWT `x5c` header wants it. */
  certificateDer: string;
}

/** Runs `openssl req -x509` into `dir` and loads the result. */
export async function createSigningCertificate(dir: string): Promise<SigningCertificate> {
  const keyPath = join(dir, 'token-signing.key');
  const certificatePath = join(dir, 'token-signing.crt');
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certificatePath];
  try {
    await promisify(execFile)('openssl', [...args, '-subj', '/CN=test-token-issuer', '-days', '1']);
  } catch (error) {
    throw new Error(
      `failed to create the token signing certificate in ${dir} with openssl: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  const [keyPem, certificatePem] = await Promise.all([readFile(keyPath), readFile(certificatePath)]);
  return {
    privateKey: createPrivateKey(keyPem),
    certificatePath,
    certificateDer: new X509Certificate(certificatePem).raw.toString('base64'),
  };
}
