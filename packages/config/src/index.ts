export { ConfigError, readVar, port, url, positiveInt, nonNegativeInt } from './env';
export {
  REPO_ROOT,
  commonConfig,
  servicePort,
  databaseUrl,
  replicaUrl,
  readYourWritesSeconds,
  databaseNameOf,
  subgraphUrlOverride,
  allSubgraphDatabaseUrls,
  type CommonConfig,
  type Mode,
} from './config';
export { SUBGRAPHS, DEFAULT_PORTS, isSubgraphName, type SubgraphName } from './subgraphs';
