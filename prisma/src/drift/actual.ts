/**
 * What a database has, from information_schema, in the same shape as the
 * model side. Queries use only views and columns that MySQL 8 and MariaDB
 * 10.11 share, with every column aliased (MySQL 8 returns information_schema
 * column names in upper case, MariaDB as written).
 */
import type { Connection } from 'mariadb';
import { MIGRATIONS_TABLE } from '../migrate/history';
import { actualColumnType } from './columnType';
import type { ForeignKey, Index, SchemaShape, Table } from './types';

type Row = Record<string, unknown>;
const str = (value: unknown) => (value == null ? '' : String(value));

export async function readDatabaseShape(connection: Connection, database: string): Promise<SchemaShape> {
  const tables = new Map<string, Table>();
  const tableRows: Row[] = await connection.query(
    `SELECT TABLE_NAME AS tableName FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
    [database],
  );
  for (const row of tableRows) {
    const name = str(row.tableName);
    // Prisma's bookkeeping, not part of any datamodel.
    if (name !== MIGRATIONS_TABLE) tables.set(name, { name, columns: [], indexes: [], foreignKeys: [] });
  }

  const jsonColumns = await mariaDbJsonColumns(connection, database);
  const columnRows: Row[] = await connection.query(
    `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType,
            IS_NULLABLE AS nullable, EXTRA AS extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  );
  for (const row of columnRows) {
    const table = tables.get(str(row.tableName));
    if (!table) continue;
    const name = str(row.columnName);
    table.columns.push({
      name,
      type: actualColumnType(str(row.dataType), str(row.columnType), jsonColumns.has(`${table.name}.${name}`)),
      nullable: str(row.nullable) === 'YES',
      autoIncrement: /auto_increment/i.test(str(row.extra)),
    });
  }

  for (const [tableName, indexes] of await readIndexes(connection, database)) tables.get(tableName)?.indexes.push(...indexes);
  for (const [tableName, keys] of await readForeignKeys(connection, database)) tables.get(tableName)?.foreignKeys.push(...keys);
  return { tables: [...tables.values()], foreignKeys: true };
}

async function readIndexes(connection: Connection, database: string): Promise<Map<string, Index[]>> {
  const rows: Row[] = await connection.query(
    `SELECT TABLE_NAME AS tableName, INDEX_NAME AS indexName, NON_UNIQUE AS nonUnique, COLUMN_NAME AS columnName,
            SUB_PART AS subPart, COLLATION AS collation, INDEX_TYPE AS indexType
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [database],
  );
  const byTable = new Map<string, Map<string, Index>>();
  for (const row of rows) {
    const tableName = str(row.tableName);
    const indexName = str(row.indexName);
    const indexes = byTable.get(tableName) ?? new Map<string, Index>();
    byTable.set(tableName, indexes);
    let index = indexes.get(indexName);
    if (!index) {
      const kind =
        indexName === 'PRIMARY' ? 'primary' : str(row.indexType) === 'FULLTEXT' ? 'fulltext' : Number(row.nonUnique) === 0 ? 'unique' : 'normal';
      index = { kind, name: indexName, columns: [] };
      indexes.set(indexName, index);
    }
    index.columns.push({
      name: str(row.columnName),
      length: row.subPart == null ? null : Number(row.subPart),
      descending: str(row.collation) === 'D',
    });
  }
  return new Map([...byTable].map(([table, indexes]) => [table, [...indexes.values()]]));
}

async function readForeignKeys(connection: Connection, database: string): Promise<Map<string, ForeignKey[]>> {
  const rows: Row[] = await connection.query(
    `SELECT k.TABLE_NAME AS tableName, k.CONSTRAINT_NAME AS constraintName, k.COLUMN_NAME AS columnName,
            k.REFERENCED_TABLE_NAME AS referencedTable, k.REFERENCED_COLUMN_NAME AS referencedColumn,
            r.DELETE_RULE AS onDelete, r.UPDATE_RULE AS onUpdate
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
      WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [database],
  );
  const byTable = new Map<string, Map<string, ForeignKey>>();
  for (const row of rows) {
    const tableName = str(row.tableName);
    const name = str(row.constraintName);
    const keys = byTable.get(tableName) ?? new Map<string, ForeignKey>();
    byTable.set(tableName, keys);
    let key = keys.get(name);
    if (!key) {
      key = { name, columns: [], referencedTable: str(row.referencedTable), referencedColumns: [], onDelete: str(row.onDelete), onUpdate: str(row.onUpdate) };
      keys.set(name, key);
    }
    key.columns.push(str(row.columnName));
    key.referencedColumns.push(str(row.referencedColumn));
  }
  return new Map([...byTable].map(([table, keys]) => [table, [...keys.values()]]));
}

/**
 * `table.column` of each MariaDB JSON column: MariaDB stores JSON as LONGTEXT
 * with a `json_valid(col)` check named after the column. MySQL 8 has a real
 * JSON type (and no TABLE_NAME in CHECK_CONSTRAINTS), so it is not asked.
 */
async function mariaDbJsonColumns(connection: Connection, database: string): Promise<Set<string>> {
  const [version]: Row[] = await connection.query('SELECT VERSION() AS version');
  if (!/mariadb/i.test(str(version?.version))) return new Set();
  const rows: Row[] = await connection.query(
    `SELECT TABLE_NAME AS tableName, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`,
    [database],
  );
  const columns = new Set<string>();
  for (const row of rows) {
    const match = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(str(row.clause).trim());
    if (match) columns.add(`${str(row.tableName)}.${match[1].replace(/``/g, '`')}`);
  }
  return columns;
}
