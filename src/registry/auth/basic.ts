/** The base64 credential of a Basic Authorization header (RFC 7617, UTF-8): what to mask. */
export function basicCredential(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}
