/** A publish run refused: the sources do not make the image the user asked for. Nothing was written. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
}
