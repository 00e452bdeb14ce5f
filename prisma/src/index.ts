export { mariadbAdapter, poolConfigFromUrl, type PoolOptions } from './adapter';
export {
  migrate,
  migrateAll,
  resolveMigration,
  MigrationError,
  DatabaseUnreachableError,
  type MigrateResult,
  type MigrateOptions,
  type MigrateLogger,
  type MigrationErrorCode,
  type ResolveHow,
} from './migrate/runner';
export { checkDrift, type DriftOptions } from './drift';
export { STORE_ROOT, schemaPath, migrationsPath } from './paths';
export { staleClients, stampClient } from './generated-clients';
