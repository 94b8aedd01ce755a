// Prints the release notes of one version: the body of its `## [X.Y.Z]` section in CHANGELOG.md, which the
// release workflow (.github/workflows/release.yml) publishes as the GitHub release's text.
//
//   node scripts/release-notes.mjs vX.Y.Z [CHANGELOG]
//
// A version with no section (or an empty one) is an error: a release says what changed.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The body of `version`'s section (`v1.2.3` or `1.2.3`), trimmed; undefined when there is none. */
export function releaseNotes(changelog, version) {
  const wanted = version.replace(/^v/, '');
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) =>
    new RegExp(`^## \\[${wanted.replaceAll('.', '\\.')}\\]`).test(line),
  );
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  const body = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .filter((line) => !/^\[[^\]]+\]: /.test(line)) // link definitions at the end of the file
    .join('\n')
    .trim();
  return body === '' ? undefined : body;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [version, path = 'CHANGELOG.md'] = process.argv.slice(2);
  if (!/^v?\d+\.\d+\.\d+$/.test(version ?? '')) {
    console.error('usage: node scripts/release-notes.mjs vX.Y.Z [CHANGELOG]');
    process.exit(1);
  }
  const notes = releaseNotes(readFileSync(path, 'utf8'), version);
  if (notes === undefined) {
    console.error(
      `${path} has no "## [${version.replace(/^v/, '')}]" section with notes: add one before tagging ${version}`,
    );
    process.exit(1);
  }
  console.log(notes);
}
