import { ConfigError } from '@harbour/config';
import { BlobStore } from './blob-store';

/**
 * Azurite's well-known development account (`devstoreaccount1` and its
 * published key) on its default blob port: what `UseDevelopmentStorage=true`
 * means, with the BlobEndpoint written out. `npm start` runs Azurite there
 * when AZURE_STORAGE_CONNECTION_STRING is not set.
 */
export const AZURITE_CONNECTION_STRING =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
  'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';

/** The container `container` of the account in AZURE_STORAGE_CONNECTION_STRING (Azurite's development account when unset). */
export function blobStoreFromEnv(env: Record<string, string | undefined>, container: string): BlobStore {
  const connectionString = env.AZURE_STORAGE_CONNECTION_STRING?.trim() || AZURITE_CONNECTION_STRING;
  try {
    return new BlobStore(connectionString, container);
  } catch (error) {
    // The SDK's message may quote the string; keep the key out of logs.
    const reason = error instanceof Error && /AccountKey/.test(error.message) ? ': it needs an AccountKey to sign blob URLs' : '';
    throw new ConfigError(`AZURE_STORAGE_CONNECTION_STRING is malformed${reason}.`);
  }
}
