/** A blob that is not in the container (the service answered 404 BlobNotFound). */
export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';

  constructor(
    readonly container: string,
    readonly blob: string,
  ) {
    super(`No blob ${blob} in container ${container}.`);
  }
}
