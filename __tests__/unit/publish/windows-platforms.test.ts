import { describe, expect, it } from '@jest/globals';
import { parseSource } from '../../../src/action/inputs/sources.js';
import { parsePlatform } from '../../../src/oci/platform.js';
import { parseReference } from '../../../src/oci/reference.js';
import { publish } from '../../../src/publish/publish.js';
import type { PublishRequest } from '../../../src/publish/request.js';
import { memoryImage } from '../../support/memory-images.js';
import { MemoryRegistry } from '../../support/memory-registry.js';
import { publishRequest } from '../../support/publish-request.js';
import { quiet } from '../../support/loggers.js';

const APP = parseReference('registry.test/acme/app');

/** A Windows Server 2019 image at app:windows, published to app:1.0. */
function windowsRequest(
  source: string,
  extra: Partial<PublishRequest> = {},
): [MemoryRegistry, PublishRequest] {
  const reg = new MemoryRegistry();
  memoryImage(reg, APP, {
    os: 'windows',
    architecture: 'amd64',
    osVersion: '10.0.17763.5830',
    tag: 'windows',
  });
  const request = publishRequest({
    sources: [parseSource(source)],
    targets: [parseReference('registry.test/acme/app:1.0')],
    ...extra,
  });
  return [reg, request];
}

describe('Windows platforms as users write them', () => {
  it.each(['windows/amd64', 'windows(10.0.17763)/amd64', 'windows(10.0.17763.5830)/amd64'])(
    'a declaration %s holds for 10.0.17763.5830',
    async (declared) => {
      const [reg, request] = windowsRequest(`${declared}=registry.test/acme/app:windows`);
      await expect(publish(request, reg, quiet)).resolves.toMatchObject({
        platforms: ['windows(10.0.17763.5830)/amd64'],
      });
    },
  );

  it('a declaration of another os.version fails, naming both', async () => {
    const [reg, request] = windowsRequest('windows(10.0.20348)/amd64=registry.test/acme/app:windows');
    await expect(publish(request, reg, quiet)).rejects.toThrow(
      /is declared windows.*\/amd64 but its config says it is windows.*\/amd64/,
    );
    expect(reg.writes).toEqual([]);
  });

  it('a manifest-descriptor[windows/amd64] annotation reaches the image whatever its os.version', async () => {
    const [reg, request] = windowsRequest('registry.test/acme/app:windows', {
      descriptorAnnotations: [
        { key: 'org.example.note', value: 'ltsc2019', platform: parsePlatform('windows/amd64') },
      ],
    });
    const result = await publish(request, reg, quiet);
    const index = JSON.parse(new TextDecoder().decode(result.manifest)) as {
      manifests: Array<{ annotations?: Record<string, string> }>;
    };
    expect(index.manifests[0]?.annotations).toEqual({ 'org.example.note': 'ltsc2019' });
  });
});
