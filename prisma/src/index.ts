export { mariadbAdapter, poolConfigFromUrl, type PoolOptions } from './adapter';
export { migrate, migrateAll, resolveMigration, MigrationError, type MigrateResult } from './migrate/runner';
export { STORE_ROOT, schemaPath, migrationsPath } from './paths';
