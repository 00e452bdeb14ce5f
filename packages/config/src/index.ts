export { ConfigError, readVar, port, url, positiveInt, nonNegativeInt } from './env';
export {
  REPO_ROOT,
  commonConfig,
  databasePoolConfig,
  DEFAULT_DATABASE_POOL,
  servicePort,
  internalUrl,
  databaseUrl,
  replicaUrl,
  readYourWritesSeconds,
  databaseNameOf,
  subgraphUrlOverride,
  allSubgraphDatabaseUrls,
  tracingConfig,
  type TracingConfig,
  type CommonConfig,
  type DatabasePoolConfig,
  type Mode,
} from './config';
export { SUBGRAPHS, DEFAULT_PORTS, isSubgraphName, type SubgraphName } from './subgraphs';
