import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/** Writes an htpasswd file with one bcrypt entry (distribution's htpasswd auth accepts bcrypt only). */
export async function writeHtpasswd(path: string, username: string, password: string): Promise<void> {
  let entry: string;
  try {
    ({ stdout: entry } = await promisify(execFile)('htpasswd', ['-Bbn', username, password]));
  } catch (error) {
    throw new Error(
      `failed to hash the password for ${JSON.stringify(username)} with htpasswd (apache2-utils): ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  await writeFile(path, `${entry.trim()}\n`);
}
