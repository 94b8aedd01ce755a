import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderFailureSummary, renderSummary, writeSummary } from '../../../src/action/summary.js';
import { publishRequest, target } from '../../support/publish-request.js';
import { digestOf, publishResult, runRecord } from './fixtures.js';
import { rows } from '../../support/rows.js';
import { parseSource } from '../../../src/action/inputs/sources.js';
import type { TagRecord } from '../../../src/publish/run-record.js';

const imagesOnly = publishResult().children.filter((child) => child.kind === 'image');
const [amd64] = imagesOnly;
const shortDigest = (char: string): string =>
  `<code title="${digestOf(char)}">${char.repeat(12)}&#8230;</code>`;

/** GitHub reads the summary as markdown: a blank line would end our HTML block and let markdown render. */
function expectOneHtmlBlock(html: string): void {
  expect(html).not.toMatch(/\n[ \t]*\n/);
  expect(html.startsWith('<h2>')).toBe(true);
}

describe('renderSummary', () => {
  it('puts the tags first, each with its outcome, then how to inspect and pull', () => {
    const html = renderSummary(publishResult(), publishRequest(), runRecord());
    expect(html.indexOf('<h3>Tags</h3>')).toBeLessThan(html.indexOf('<h3>Platforms</h3>'));
    expect(html).toContain('<tr><th>Tag</th><th>Outcome</th><th>Before</th><th>Now</th></tr>');
    expect(html).toContain(
      `<tr><td><code>ghcr.io/<wbr>acme/<wbr>app:1.0</code></td><td>moved</td><td>${shortDigest('e')}</td><td>${shortDigest('f')}</td></tr>`,
    );
    expect(html).toContain(
      `<p>Inspect: <code>docker buildx imagetools inspect ghcr.io/acme/app@${digestOf('f')}</code><br>Pull: <code>docker pull ghcr.io/acme/app:1.0</code></p>`,
    );
    expectOneHtmlBlock(html);
  });

  it.each(
    rows([
      ['unchanged', digestOf('f'), 'already there'],
      ['moved', undefined, 'created'],
      ['restored', digestOf('e'), 'put back'],
      ['stuck', digestOf('e'), '&#9888; left at the new index'],
      ['untouched', digestOf('e'), 'not touched'],
      ['dry-run', undefined, 'not pushed (dry run)'],
    ]),
  )('shows a %s tag', (status, previous, outcome) => {
    const record = runRecord({ tags: [{ reference: target, status, ...(previous && { previous }) }] });
    expect(renderSummary(publishResult(), publishRequest(), record)).toContain(
      `<tr><td><code>ghcr.io/<wbr>acme/<wbr>app:1.0</code></td><td>${outcome}</td>`,
    );
  });

  it('has one row per child: one platform spelling, proven from its config, short digest, image size, source', () => {
    const html = renderSummary(publishResult(), publishRequest(), runRecord());
    expect(html).toContain(
      '<tr><th>Platform</th><th>Proven</th><th>Digest</th><th>Size</th><th>Source</th></tr>',
    );
    expect(html).toContain(
      `<tr><td>linux/<wbr>amd64</td><td>&#10003;&#160;config</td><td>${shortDigest('a')}</td><td><span title="28,512,345 bytes">28.5&nbsp;MB</span></td><td><code>ghcr.io/<wbr>acme/<wbr>app:1.0-amd64</code></td></tr>`,
    );
    expect(html).toContain(
      `<td><code title="linux/arm/v7=${digestOf('b')}">linux/<wbr>arm/<wbr>v7=<wbr>bbbbbbbbbbbb&#8230;</code></td>`,
    );
    expect(html).toContain(
      `<tr><td>attestation of linux/<wbr>amd64</td><td>&#8211;</td><td>${shortDigest('c')}</td>`,
    );
    expect(html).not.toContain(`>${digestOf('a')}<`);
  });

  it('says what the binary proof checked, and that the platform was declared', () => {
    const arm64 = {
      ...amd64!,
      platform: { os: 'linux', architecture: 'arm64' },
      source: 'linux/arm64=app:arm',
      proven: 'config + /usr/bin/app: aarch64 ELF, 4 executables sampled',
    };
    const request = publishRequest({
      sources: [
        { kind: 'digest', text: 'linux/arm64=app:arm', digest: digestOf('d'), declared: arm64.platform },
      ],
    });
    const html = renderSummary(publishResult({ children: [arm64] }), request, runRecord());
    expect(html).toContain(
      '<tr><td>linux/<wbr>arm64</td><td>&#10003;&#160;config + /usr/bin/app: aarch64 ELF, 4 executables sampled, as declared</td>',
    );
  });

  it('spells platforms normalized, with os.version as containerd does, and shows a declared platform', () => {
    const windows = {
      ...amd64!,
      platform: { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.5458' },
    };
    const arm64 = {
      ...amd64!,
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      source: 'linux/arm64=app:arm',
    };
    const request = publishRequest({
      sources: [
        {
          kind: 'digest',
          text: 'linux/arm64=app:arm',
          digest: digestOf('d'),
          declared: { os: 'linux', architecture: 'arm64' },
        },
      ],
      platforms: [
        { os: 'linux', architecture: 'arm64' },
        { os: 'linux', architecture: 's390x' },
      ],
    });
    const html = renderSummary(publishResult({ children: [windows, arm64] }), request, runRecord());
    expect(html).toContain('<tr><td>windows(10.0.17763.5458)<wbr>/<wbr>amd64</td>');
    expect(html).toContain('<tr><td>linux/<wbr>arm64</td><td>&#10003;&#160;config, as declared</td>');
    expect(html).toContain('<p>Required platforms: linux/arm64 &#10003;, linux/s390x &#10007;</p>');
  });

  it('marks required platforms by the rule the run enforces: windows/amd64 is covered whatever the os.version', () => {
    const windows = {
      ...amd64!,
      platform: { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.5458' },
    };
    const request = publishRequest({
      platforms: [
        { os: 'windows', architecture: 'amd64' },
        { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348' },
      ],
    });
    const html = renderSummary(publishResult({ children: [windows] }), request, runRecord());
    expect(html).toContain(
      '<p>Required platforms: windows/amd64 &#10003;, windows(10.0.20348)/amd64 &#10007;</p>',
    );
  });

  it('counts blob transfers only when something was transferred', () => {
    expect(renderSummary(publishResult(), publishRequest(), runRecord())).toContain(
      '<p>Blobs: 1 copied, 2 mounted, 3 already present.</p>',
    );
    const inPlace = publishResult({ transfers: { present: 4, mounted: 0, copied: 0 } });
    expect(renderSummary(inPlace, publishRequest(), runRecord())).not.toContain('Blobs:');
  });

  it('marks a dry run, and offers nothing to inspect or pull, since nothing was pushed', () => {
    const result = publishResult({
      dryRun: true,
      image: '',
      images: [],
      transfers: { present: 0, mounted: 0, copied: 0 },
    });
    const record = runRecord({ tags: [{ reference: target, status: 'dry-run' }] });
    const html = renderSummary(result, publishRequest({ push: false }), record);
    expect(html).toContain('<h2>Multi-platform image: dry run, nothing was pushed</h2>');
    expect(html).toContain('not pushed (dry run)');
    expect(html).toContain(`OCI image index ${shortDigest('f')}`);
    expect(html).toContain(': what a push would send.</p>');
    expect(html).not.toMatch(/Inspect|Pull|Blobs:/);
  });

  it('heads verify mode as such, with no tags, and inspects the source index it verified as it stands', () => {
    const result = publishResult({
      dryRun: true,
      image: '',
      images: [],
      tags: [],
      verifiedIndex: `ghcr.io/acme/app@${digestOf('f')}`,
      transfers: { present: 0, mounted: 0, copied: 0 },
    });
    const request = publishRequest({ push: false, targets: [] });
    const html = renderSummary(result, request, runRecord({ tags: [] }));
    expect(html).toContain('<h2>Sources verified: nothing was written (verify mode)</h2>');
    expect(html).not.toContain('<h3>Tags</h3>');
    expect(html).toContain(
      `<p>Inspect: <code>docker buildx imagetools inspect ghcr.io/acme/app@${digestOf('f')}</code></p>`,
    );
    expect(html).toContain(': the source index, verified as it stands.</p>');
    expectOneHtmlBlock(html);
  });

  it('in verify mode on separate images, names the index they would make and offers nothing to inspect', () => {
    const result = publishResult({ dryRun: true, image: '', images: [], tags: [] });
    const html = renderSummary(result, publishRequest({ push: false, targets: [] }), runRecord({ tags: [] }));
    expect(html).toContain(': the index these sources would make (nothing was pushed).</p>');
    expect(html).not.toMatch(/Inspect|Pull/);
  });

  it('lists the referrers carried, each with its repository, kind and subject', () => {
    const result = publishResult({
      referrers: [
        {
          repository: 'ghcr.io/acme/app',
          digest: digestOf('d'),
          subject: digestOf('a'),
          tag: `sha256-${'a'.repeat(64)}.sig`,
        },
        {
          repository: 'ghcr.io/acme/app',
          digest: digestOf('9'),
          subject: digestOf('a'),
          artifactType: 'application/spdx+json',
        },
      ],
    });
    const html = renderSummary(result, publishRequest(), runRecord());
    expect(html).toContain('<h3>Referrers carried</h3>');
    expect(html).toContain('<tr><th>Repository</th><th>Referrer</th><th>Kind</th><th>Refers to</th></tr>');
    expect(html).toContain(
      `<tr><td><code>ghcr.io/<wbr>acme/<wbr>app</code></td><td>${shortDigest('d')}</td><td>sha256-${'a'.repeat(64)}.sig</td><td>${shortDigest('a')}</td></tr>`,
    );
    expect(html).toContain(`<td>${shortDigest('9')}</td><td>application/spdx+json</td>`);
    expect(renderSummary(publishResult(), publishRequest(), runRecord())).not.toContain('Referrers carried');
  });

  it.each(
    rows([
      ['kept', 'keep', publishResult(), '<p>1 attestation manifest(s) kept, after the images.</p>'],
      [
        'dropped',
        'drop',
        publishResult({ children: imagesOnly }),
        '<p>Attestation manifests were left out (attestations: drop).</p>',
      ],
    ]),
  )('mentions attestations %s', (_name, attestations, result, line) => {
    expect(renderSummary(result, publishRequest({ attestations }), runRecord())).toContain(line);
  });

  it('escapes markup and markdown from a source, a platform, an annotation and a warning', () => {
    const hostile = {
      ...amd64!,
      platform: { os: 'linux', architecture: 'amd64', variant: 'v1\n\n![x](http://evil.example/x.png)' },
      source: 'linux/amd64=<script>alert(1)</script>',
    };
    const request = publishRequest({
      indexAnnotations: {
        'org.opencontainers.image.description': '"Fast" & <b>small</b>\n\n**bold** `x` | y',
      },
    });
    const html = renderSummary(publishResult({ children: [hostile] }), request, runRecord(), [
      'registry said <img src=x onerror=alert(2)>\n\n[click](http://evil.example)',
    ]);
    // Markdown inside the one HTML block is not read: only HTML and line breaks need escaping.
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain(
      '<code>linux/<wbr>amd64=<wbr>&#60;script&#62;alert(1)&#60;/<wbr>script&#62;</code>',
    );
    expect(html).toContain('v1&#10;&#10;![x](http:/<wbr>/<wbr>evil.example/<wbr>x.png)');
    expect(html).toContain('&#34;Fast&#34; &#38; &#60;b&#62;small&#60;/b&#62;&#10;&#10;**bold** `x` | y');
    expectOneHtmlBlock(html);
  });
});

describe('summary text', () => {
  it("keeps a token as written, so the runner's exact-match masking still finds it", () => {
    const html = renderSummary(publishResult(), publishRequest(), runRecord(), [
      'token ghs_Ab1!x-y.z~ refused',
    ]);
    expect(html).toContain('<li>token ghs_Ab1!x-y.z~ refused</li>');
  });
});

describe('renderFailureSummary', () => {
  const failure = {
    title: 'Registry refused the tag',
    message: 'failed to push ghcr.io/acme/app:1.0: 403 DENIED\nask for packages: write',
  };

  it('says which step failed and why, whether anything was written, where each tag is and what was verified', () => {
    const record = runRecord({
      tags: [
        { reference: target, status: 'restored', previous: digestOf('e'), now: digestOf('e') },
        {
          reference: { ...target, tag: '1' },
          status: 'untouched',
          previous: digestOf('e'),
          now: digestOf('e'),
        },
      ],
    });
    const html = renderFailureSummary(failure, record, publishRequest(), ['slow registry']);
    expect(html).toContain('<h2>Multi-platform image not published: Registry refused the tag</h2>');
    expect(html).toContain(
      '<p>Failed while trying to move tags:<br>failed to push ghcr.io/acme/app:1.0: 403 DENIED<br>ask for packages: write</p>',
    );
    expect(html).toContain('<p><strong>Every tag moved was put back (ghcr.io/acme/app:1.0).</strong></p>');
    expect(html).toContain('<tr><td><code>ghcr.io/<wbr>acme/<wbr>app:1.0</code></td><td>put back</td>');
    expect(html).toContain('<tr><td><code>ghcr.io/<wbr>acme/<wbr>app:1</code></td><td>not touched</td>');
    expect(html).toContain('<h3>Platforms</h3>');
    expect(html).toContain('<tr><td>linux/<wbr>amd64</td><td>&#10003;&#160;config</td>');
    expect(html).toContain('<li>slow registry</li>');
    expectOneHtmlBlock(html);
  });

  it.each(
    rows([
      ['read inputs', [], 'Nothing was written.'],
      ['resolve and verify sources', [{ reference: target, status: 'untouched' }], 'Nothing was written.'],
      [
        'copy children',
        [{ reference: target, status: 'untouched' }],
        'No tag was moved; some children may already be in the target repositories, where no tag refers to them.',
      ],
      [
        'move tags',
        [{ reference: target, status: 'stuck', now: digestOf('f') }],
        `Tags left moved: ghcr.io/acme/app:1.0 (now ${digestOf('f')}).`,
      ],
    ]),
  )('after failing to %s says: %s', (step, tags, sentence) => {
    const html = renderFailureSummary(
      failure,
      runRecord({ step, tags: [...tags] as TagRecord[], children: [] }),
      publishRequest({ platforms: [{ os: 'linux', architecture: 'arm64' }] }),
    );
    expect(html).toContain(`<p><strong>${sentence}</strong></p>`);
    // Nothing verified yet: no coverage line that would mark every required platform missing.
    expect(html).not.toContain('Required platforms');
  });

  it('shows a mislabelled source in the platform table, with what its config says and the check it failed', () => {
    const request = publishRequest({
      push: false,
      targets: [],
      sources: ['linux/amd64=ghcr.io/acme/app:1.0-amd64', 'linux/arm64=ghcr.io/acme/app:1.0-arm64'].map(
        parseSource,
      ),
    });
    const record = runRecord({
      step: 'resolve and verify sources',
      tags: [],
      index: undefined,
      children: [
        { ...amd64!, source: 'linux/amd64=ghcr.io/acme/app:1.0-amd64' },
        {
          ...amd64!,
          digest: digestOf('b'),
          source: 'linux/arm64=ghcr.io/acme/app:1.0-arm64',
          failedCheck: 'declared linux/arm64',
        },
      ],
    });
    const html = renderFailureSummary(
      { title: 'Platform check failed', message: 'source "linux/arm64=…" is declared linux/arm64 but …' },
      record,
      request,
    );
    expect(html).toContain('<h2>Sources not verified: Platform check failed</h2>');
    expect(html).toContain('<p><strong>Nothing was written.</strong></p>');
    expect(html).not.toContain('No source was');
    expect(html).toContain(
      `<tr><td>linux/<wbr>amd64</td><td>&#10003;&#160;config, as declared</td><td>${shortDigest('a')}</td>`,
    );
    expect(html).toContain(
      `<tr><td>linux/<wbr>amd64</td><td>&#10007;&#160;declared linux/arm64</td><td>${shortDigest('b')}</td>`,
    );
    expectOneHtmlBlock(html);
  });

  it('heads a failed dry run as such', () => {
    const html = renderFailureSummary(failure, runRecord(), publishRequest({ push: false }));
    expect(html).toContain('<h2>Dry run failed: Registry refused the tag</h2>');
  });

  it('reports refused inputs without tags or platforms', () => {
    const html = renderFailureSummary(
      { title: 'Invalid input', message: 'sources is empty' },
      runRecord({ step: 'read inputs', tags: [], children: [] }),
      undefined,
    );
    expect(html).toContain('<p>Failed while trying to read inputs:<br>sources is empty</p>');
    expect(html).not.toContain('<h3>');
  });

  it('escapes a registry message that carries markup, markdown and workflow commands', () => {
    const message = 'failed: 400\n\n![x](http://evil.example/x.png)\n::error title=x::pwned</p><script>';
    const html = renderFailureSummary(
      { title: 'Registry <b>error</b>', message },
      runRecord(),
      publishRequest(),
    );
    expect(html).not.toMatch(/<script|<b>/);
    expect(html).toContain(
      'failed: 400<br><br>![x](http://evil.example/x.png)<br>::error title=x::pwned&#60;/p&#62;&#60;script&#62;',
    );
    expectOneHtmlBlock(html);
  });
});

describe('writeSummary', () => {
  const previous = process.env.GITHUB_STEP_SUMMARY;
  let dir: string | undefined;

  afterEach(async () => {
    if (previous === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = previous;
    jest.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('appends the rendered summary to the job summary file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'action-summary-'));
    const file = join(dir, 'step_summary');
    await writeFile(file, 'earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    const html = renderSummary(publishResult(), publishRequest(), runRecord(), ['rate limit nearly used up']);
    await writeSummary(html);
    const written = await readFile(file, 'utf8');
    expect(written).toBe(`earlier step\n${html}\n`);
    expect(written).toContain('<h3>Warnings</h3>\n<ul>\n<li>rate limit nearly used up</li>');
  });

  it('only warns when the summary cannot be written', async () => {
    const printed: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => printed.push(String(chunk)) > 0);
    process.env.GITHUB_STEP_SUMMARY = join(tmpdir(), 'no-such-dir-for-action-summary', 'step_summary');
    await expect(writeSummary('<p>x</p>')).resolves.toBeUndefined();
    expect(printed.join('')).toContain('::warning::failed to write the job summary: ');
  });
});
