import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSummary, writeSummary } from '../../../src/action/summary.js';
import { publishRequest } from '../../support/publish-request.js';
import { digestOf, publishResult } from './fixtures.js';
import { rows } from '../../support/rows.js';

describe('renderSummary', () => {
  it('shows the image, digest, media type and size', () => {
    const html = renderSummary(publishResult(), publishRequest());
    expect(html).toContain('<h2>Multi-platform image</h2>');
    expect(html).toContain(`<tr><td>Image</td><td><code>ghcr.io/acme/app@${digestOf('f')}</code></td></tr>`);
    expect(html).toContain(`<tr><td>Digest</td><td><code>${digestOf('f')}</code></td></tr>`);
    expect(html).toContain(
      '<tr><td>Media type</td><td><code>application/vnd.oci.image.index.v1+json</code></td></tr>',
    );
    expect(html).toContain('<tr><td>Size</td><td>51 bytes</td></tr>');
  });

  it('has one row per child: platform, child digest, size, source', () => {
    const html = renderSummary(publishResult(), publishRequest());
    expect(html).toContain('<tr><th>Platform</th><th>Digest</th><th>Size</th><th>Source</th></tr>');
    expect(html).toContain(
      `<tr><td>linux/amd64</td><td><code>${digestOf('a')}</code></td><td>1,234 bytes</td><td><code>ghcr.io/acme/app:1.0-amd64</code></td></tr>`,
    );
    expect(html).toContain(
      `<tr><td>linux/arm/v7</td><td><code>${digestOf('b')}</code></td><td>987 bytes</td><td><code>linux/arm/v7=${digestOf('b')}</code></td></tr>`,
    );
    expect(html).toContain(
      `<tr><td>attestation for <code>sha256:aaaaaaaaaaaa</code></td><td><code>${digestOf('c')}</code></td><td>566 bytes</td>`,
    );
  });

  it('shows os.version beside the platform', () => {
    const [child] = imagesOnly;
    if (!child) throw new Error('the fixture has no image');
    const windows = {
      ...child,
      platform: { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2227' },
    };
    expect(renderSummary(publishResult({ children: [windows] }), publishRequest())).toContain(
      '<td>windows/amd64 (10.0.20348.2227)</td>',
    );
  });

  it.each(
    rows([
      ['moved', '<li><code>ghcr.io/acme/app:1.0</code>: pushed</li>'],
      ['unchanged', '<li><code>ghcr.io/acme/app:1.0</code>: already at this digest</li>'],
    ]),
  )('shows a %s tag', (status, line) => {
    const result = publishResult({
      tags: [{ reference: { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0' }, status }],
    });
    expect(renderSummary(result, publishRequest())).toContain(line);
  });

  it('marks a dry run and leaves out the transfer counts', () => {
    const result = publishResult({
      dryRun: true,
      tags: [{ reference: { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0' }, status: 'dry-run' }],
    });
    const html = renderSummary(result, publishRequest({ push: false }));
    expect(html).toContain('<h2>Multi-platform image (dry run: nothing was pushed)</h2>');
    expect(html).toContain('<li><code>ghcr.io/acme/app:1.0</code>: not pushed (dry run)</li>');
    expect(html).not.toContain('Blobs:');
  });

  it('counts the blob transfers of a push', () => {
    expect(renderSummary(publishResult(), publishRequest())).toContain(
      '<p>Blobs: 3 already present, 2 mounted, 1 copied.</p>',
    );
  });

  const imagesOnly = publishResult().children.filter((child) => child.kind === 'image');

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
    expect(renderSummary(result, publishRequest({ attestations }))).toContain(line);
  });

  it('says nothing about attestations when there are none to keep', () => {
    const result = publishResult({ children: imagesOnly });
    expect(renderSummary(result, publishRequest())).not.toContain('ttestation');
  });

  it('escapes markup from a source, an annotation and a warning', () => {
    const [child] = imagesOnly;
    if (!child) throw new Error('the fixture has no image');
    const result = publishResult({
      children: [{ ...child, source: 'linux/amd64=<script>alert(1)</script>' }],
    });
    const request = publishRequest({
      indexAnnotations: { 'org.opencontainers.image.description': '"Fast" & <b>small</b> \'app\'' },
    });
    const html = renderSummary(result, request, ['registry said <img src=x onerror=alert(2)>']);
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('<code>linux/amd64=&#60;script&#62;alert(1)&#60;/script&#62;</code>');
    expect(html).toContain(
      '<tr><td><code>org.opencontainers.image.description</code></td><td>&#34;Fast&#34; &#38; &#60;b&#62;small&#60;/b&#62; &#39;app&#39;</td></tr>',
    );
    expect(html).toContain(
      '<h3>Warnings</h3>\n<ul>\n<li>registry said &#60;img src=x onerror=alert(2)&#62;</li>',
    );
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
    await writeSummary(publishResult(), publishRequest(), ['rate limit nearly used up']);
    const written = await readFile(file, 'utf8');
    expect(written).toBe(
      `earlier step\n${renderSummary(publishResult(), publishRequest(), ['rate limit nearly used up'])}\n`,
    );
    expect(written).toContain('<h3>Warnings</h3>\n<ul>\n<li>rate limit nearly used up</li>');
  });

  it('only warns when the summary cannot be written', async () => {
    const printed: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => printed.push(String(chunk)) > 0);
    process.env.GITHUB_STEP_SUMMARY = join(tmpdir(), 'no-such-dir-for-action-summary', 'step_summary');
    await expect(writeSummary(publishResult(), publishRequest(), [])).resolves.toBeUndefined();
    expect(printed.join('')).toContain('::warning::failed to write the job summary: ');
  });
});
