/**
 * Azure Blob Storage for Harbour: one container per BlobStore, streaming
 * uploads, downloads, listings, and SAS URLs that let a client read or write
 * one blob for a while. Azurite stands in for Azure locally and in tests.
 */
export { BlobStore, type SignedUrl, type SignedWriteUrl } from './blob-store';
export { blobStoreFromEnv, AZURITE_CONNECTION_STRING } from './env';
export { BlobNotFoundError } from './errors';
