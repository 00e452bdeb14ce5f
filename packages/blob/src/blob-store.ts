import { Readable } from 'node:stream';
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  RestError,
  SASProtocol,
  StorageSharedKeyCredential,
  type BlockBlobClient,
  type ContainerClient,
} from '@azure/storage-blob';
import { BlobNotFoundError } from './errors';

/**
 * Uploads are staged as blocks of this size, at most this many at once: an
 * upload holds at most BLOCK_BYTES × UPLOAD_CONCURRENCY (16 MiB) of its
 * source in memory, however large the blob.
 */
const BLOCK_BYTES = 4 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 4;

export interface SignedUrl {
  url: string;
  expiresAt: Date;
}

/** A write URL, and the headers its PUT must carry (a SAS cannot require a content type; the uploader sends it). */
export interface SignedWriteUrl extends SignedUrl {
  headers: Record<string, string>;
}

/**
 * One container of an Azure Storage account (Azurite locally and in tests).
 * Built from a connection string with an account key: the key signs the SAS
 * URLs handed to clients, each for one blob.
 */
export class BlobStore {
  private readonly container: ContainerClient;
  private readonly credential: StorageSharedKeyCredential;

  constructor(connectionString: string, readonly containerName: string) {
    this.container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(containerName);
    if (!(this.container.credential instanceof StorageSharedKeyCredential)) {
      throw new Error('The storage connection string has no AccountKey: one is needed to sign blob URLs.');
    }
    this.credential = this.container.credential;
  }

  /** Creates the container (private: no anonymous reads) unless it is there. */
  async ensureContainer(): Promise<void> {
    await this.container.createIfNotExists();
  }

  /**
   * Streams `source` into the blob `name` (replacing it), block by block,
   * never holding the whole of it; resolves with the number of bytes stored.
   */
  async upload(name: string, source: Readable | AsyncIterable<Buffer | string>, options: { contentType: string }): Promise<number> {
    let bytes = 0;
    const stream = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
    await this.blob(name).uploadStream(stream, BLOCK_BYTES, UPLOAD_CONCURRENCY, {
      blobHTTPHeaders: { blobContentType: options.contentType },
      onProgress: ({ loadedBytes }) => (bytes = loadedBytes),
    });
    return bytes;
  }

  async uploadText(name: string, text: string, contentType = 'text/plain; charset=utf-8'): Promise<void> {
    const body = Buffer.from(text, 'utf8');
    await this.blob(name).upload(body, body.length, { blobHTTPHeaders: { blobContentType: contentType } });
  }

  /** The whole blob; throws BlobNotFoundError when there is none. */
  async download(name: string): Promise<Buffer> {
    try {
      return await this.blob(name).downloadToBuffer();
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) throw new BlobNotFoundError(this.containerName, name);
      throw error;
    }
  }

  async downloadText(name: string): Promise<string> {
    return (await this.download(name)).toString('utf8');
  }

  async exists(name: string): Promise<boolean> {
    return this.blob(name).exists();
  }

  /** Names of the blobs starting with `prefix`, in name order, a page at a time. */
  async *list(prefix = ''): AsyncIterable<string> {
    for await (const item of this.container.listBlobsFlat({ prefix })) yield item.name;
  }

  /** Deletes the blob and its snapshots; false when there was none. */
  async delete(name: string): Promise<boolean> {
    return (await this.blob(name).deleteIfExists({ deleteSnapshots: 'include' })).succeeded;
  }

  /** A URL that can only read the blob `name` (`sp=r`), for `ttlSeconds`. */
  readUrl(name: string, ttlSeconds: number): SignedUrl {
    return this.signedUrl(name, 'r', ttlSeconds);
  }

  /**
   * A URL that can only create or replace the blob `name` (`sp=cw`), for
   * `ttlSeconds`: a PUT with the returned headers (a block blob, with
   * `contentType` when given). It cannot read the blob.
   */
  writeUrl(name: string, ttlSeconds: number, options: { contentType?: string } = {}): SignedWriteUrl {
    const headers: Record<string, string> = { 'x-ms-blob-type': 'BlockBlob' };
    if (options.contentType) headers['content-type'] = options.contentType;
    return { ...this.signedUrl(name, 'cw', ttlSeconds), headers };
  }

  private signedUrl(name: string, permissions: 'r' | 'cw', ttlSeconds: number): SignedUrl {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new RangeError(`ttlSeconds must be a positive whole number of seconds, not ${ttlSeconds}.`);
    // A SAS expires on a whole second: truncated here, so expiresAt is exactly what the URL says.
    const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + ttlSeconds * 1000);
    const blob = this.blob(name);
    const sas = generateBlobSASQueryParameters(
      {
        containerName: this.containerName,
        blobName: name,
        permissions: BlobSASPermissions.parse(permissions),
        expiresOn: expiresAt,
        // No start time: a client whose clock runs behind the service's could not use a URL valid "from now".
        protocol: new URL(blob.url).protocol === 'https:' ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
      },
      this.credential,
    );
    return { url: `${blob.url}?${sas.toString()}`, expiresAt };
  }

  private blob(name: string): BlockBlobClient {
    return this.container.getBlockBlobClient(name);
  }
}
