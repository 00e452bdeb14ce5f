import type { Logger } from '@harbour/logger';
import type { Redis } from 'ioredis';
import type { GatewayMetrics } from '../observability/metrics';
import { ApqStore } from './apq-store';
import { OperationDocuments, type TrustedDocumentsMode } from './operation-documents';
import { TrustedDocuments } from './trusted-documents';

export { CONTRACT_MANIFEST_PATH, CONTRACT_MANIFEST_PATHS, MERCHANT_MANIFEST_PATH } from './manifest';
export { OperationDocuments, type TrustedDocumentsMode } from './operation-documents';

/** The gateway's settings for trusted documents and APQ (GATEWAY_TRUSTED_DOCUMENTS, ..._MANIFESTS, GATEWAY_APQ_TTL_SECONDS). */
export interface DocumentsConfig {
  mode: TrustedDocumentsMode;
  /** Apollo persisted query manifests whose operations are trusted (and served by id in either mode). */
  manifestPaths: string[];
  /** How long an APQ registration lasts in Redis. */
  apqTtlSeconds: number;
}

/**
 * The gateway's operation documents from its configuration: the manifests
 * (read now, so a bad one stops the start), and in `off` mode an APQ store
 * in Redis shared by the replicas.
 */
export function operationDocuments(
  config: DocumentsConfig,
  deps: { redis: Redis; redisKeyPrefix: string; logger: Logger; metrics?: GatewayMetrics | undefined },
): OperationDocuments {
  const trusted = TrustedDocuments.fromFiles(config.manifestPaths);
  if (config.mode === 'enforce') return new OperationDocuments({ mode: 'enforce', trusted });
  return new OperationDocuments({ mode: 'off', trusted, apq: new ApqStore(deps) });
}
