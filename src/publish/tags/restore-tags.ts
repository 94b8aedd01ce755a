import { Memo } from '../../common/memoize.js';
import type { RawManifest } from '../../oci/manifest.js';
import { formatReference, formatRepository } from '../../oci/reference.js';
import type { RegistryApi } from '../../registry/api.js';
import type { Logger } from '../../common/logger.js';
import type { TagRecord } from './tag-record.js';
import { tagOf } from './tag-state.js';

/**
 * Puts every tag this run moved back where it was: the previous manifest, read by digest only now (a manifest GET
 * counts as a pull on Docker Hub), written under the tag again; a tag that did not exist before is deleted. A tag
 * that cannot be put back becomes `stuck`, its reason kept in `unrestored`.
 */
export async function putBack(
  records: TagRecord[],
  registry: RegistryApi,
  logger: Logger,
  unrestored: Map<TagRecord, unknown>,
): Promise<void> {
  // Tags of one repository often held the same manifest: it is read once.
  const previous = new Memo<RawManifest>('remember');
  await Promise.all(
    records
      .filter((record) => record.status === 'moved')
      .map(async (record) => {
        const where = formatReference(record.reference);
        const { reference } = record;
        try {
          const digest = record.previous;
          if (digest === undefined) {
            await registry.deleteTag(reference, tagOf(reference));
            delete record.now;
            logger.info(`${where} put back: deleted, as it did not exist before this run`);
          } else {
            const key = `${formatRepository(reference)}@${digest}`;
            const raw = await previous.get(key, () => registry.source(reference).manifest(digest));
            await registry.putManifest(reference, tagOf(reference), raw);
            record.now = digest;
            logger.info(`${where} put back to ${digest}`);
          }
          record.status = 'restored';
        } catch (error) {
          record.status = 'stuck';
          unrestored.set(record, error);
          logger.warning(
            `${where} could not be put back and still holds ${record.now ?? 'an unknown manifest'}`,
          );
        }
      }),
  );
}
