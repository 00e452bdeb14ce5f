/**
 * The differences between what the datamodel asks for and what the database
 * has, as sentences a developer can act on. Pure: both sides are already in
 * the shape of types.ts. An empty list means no drift.
 */
import type { Column, ForeignKey, Index, IndexColumn, SchemaShape, Table } from './types';

const quote = (name: string) => `\`${name}\``;
const renderColumns = (columns: IndexColumn[]) =>
  `(${columns.map((c) => `${c.name}${c.length === null ? '' : `(${c.length})`}${c.descending ? ' DESC' : ''}`).join(', ')})`;
const sameColumns = (a: IndexColumn[], b: IndexColumn[]) =>
  a.length === b.length && a.every((c, i) => c.name === b[i].name && c.length === b[i].length && c.descending === b[i].descending);
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((value, i) => value === b[i]);

const INDEX_WORDS: Record<Index['kind'], string> = {
  primary: 'a primary key',
  unique: 'a unique index',
  normal: 'an index',
  fulltext: 'a fulltext index',
};

export function compareShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const problems: string[] = [];
  const actualTables = new Map(actual.tables.map((table) => [table.name, table]));
  const modelled = new Set(expected.tables.map((table) => table.name));

  for (const want of expected.tables) {
    const have = actualTables.get(want.name);
    if (!have) {
      problems.push(`Table ${quote(want.name)} (model ${want.model}) is missing.`);
      continue;
    }
    problems.push(...compareColumns(want, have), ...compareIndexes(want, have));
    if (expected.foreignKeys) problems.push(...compareForeignKeys(want, have));
  }
  for (const table of actual.tables) {
    if (modelled.has(table.name)) continue;
    problems.push(`Table ${quote(table.name)} is in the database but no model maps to it.`);
  }
  if (!expected.foreignKeys) {
    for (const table of actual.tables) {
      for (const key of table.foreignKeys) problems.push(`Table ${quote(table.name)} has ${describeKey(key)}, but relationMode = "prisma" wants no foreign keys.`);
    }
  }
  return problems;
}

function compareColumns(want: Table, have: Table): string[] {
  const problems: string[] = [];
  const haveColumns = new Map(have.columns.map((column) => [column.name, column]));
  const wantNames = new Set(want.columns.map((column) => column.name));
  for (const column of want.columns) {
    const found = haveColumns.get(column.name);
    const label = `Column ${quote(want.name)}.${quote(column.name)}${column.source ? ` (${column.source})` : ''}`;
    if (!found) {
      problems.push(`${label} is missing.`);
      continue;
    }
    if (column.type !== undefined && found.type !== column.type) problems.push(`${label} is ${found.type}; the model wants ${column.type}.`);
    if (found.nullable !== column.nullable) problems.push(`${label} is ${nullability(found)}; the model wants ${nullability(column)}.`);
    if (found.autoIncrement !== column.autoIncrement) {
      problems.push(`${label} ${found.autoIncrement ? 'is' : 'is not'} AUTO_INCREMENT; the model ${column.autoIncrement ? 'has' : 'has no'} @default(autoincrement()).`);
    }
  }
  for (const column of have.columns) {
    if (!wantNames.has(column.name)) problems.push(`Column ${quote(have.name)}.${quote(column.name)} is in the database but not in model ${want.model}.`);
  }
  return problems;
}

const nullability = (column: Column) => (column.nullable ? 'nullable' : 'NOT NULL');

/**
 * Indexes match by kind and by columns in order; names are not compared.
 * An extra index named after one of the table's foreign keys is the one
 * MySQL creates by itself for a key with no usable index: Prisma ignores it too.
 */
function compareIndexes(want: Table, have: Table): string[] {
  const problems: string[] = [];
  const unmatched = [...have.indexes];
  for (const index of want.indexes) {
    const at = unmatched.findIndex((candidate) => candidate.kind === index.kind && sameColumns(candidate.columns, index.columns));
    if (at >= 0) {
      unmatched.splice(at, 1);
      continue;
    }
    if (index.kind === 'primary') {
      const primary = have.indexes.find((candidate) => candidate.kind === 'primary');
      problems.push(
        primary
          ? `Table ${quote(want.name)} has the primary key ${renderColumns(primary.columns)}; the model wants ${renderColumns(index.columns)}.`
          : `Table ${quote(want.name)} has no primary key; the model wants ${renderColumns(index.columns)}.`,
      );
      // Reported here as the wrong primary key, not again as an undeclared one.
      if (primary && unmatched.includes(primary)) unmatched.splice(unmatched.indexOf(primary), 1);
      continue;
    }
    problems.push(`Table ${quote(want.name)} lacks ${INDEX_WORDS[index.kind]} on ${renderColumns(index.columns)} (model ${want.model}).`);
  }
  const foreignKeyNames = new Set(have.foreignKeys.map((key) => key.name));
  for (const index of unmatched) {
    if (index.kind !== 'primary' && foreignKeyNames.has(index.name)) continue;
    problems.push(`Table ${quote(have.name)} has ${INDEX_WORDS[index.kind]}${index.name && index.kind !== 'primary' ? ` ${quote(index.name)}` : ''} on ${renderColumns(index.columns)} that model ${want.model} does not declare.`);
  }
  return problems;
}

function describeKey(key: ForeignKey): string {
  const name = key.name ? ` ${quote(key.name)}` : '';
  return `a foreign key${name} (${key.columns.join(', ')}) → ${key.referencedTable}(${key.referencedColumns.join(', ')}) ON DELETE ${key.onDelete} ON UPDATE ${key.onUpdate}`;
}

function compareForeignKeys(want: Table, have: Table): string[] {
  const problems: string[] = [];
  const unmatched = [...have.foreignKeys];
  for (const key of want.foreignKeys) {
    const sameTarget = (candidate: ForeignKey) =>
      sameList(candidate.columns, key.columns) && candidate.referencedTable === key.referencedTable && sameList(candidate.referencedColumns, key.referencedColumns);
    const at = unmatched.findIndex(sameTarget);
    if (at < 0) {
      problems.push(`Table ${quote(want.name)} lacks ${describeKey(key)} (model ${want.model}).`);
      continue;
    }
    const [found] = unmatched.splice(at, 1);
    if (found.onDelete !== key.onDelete || found.onUpdate !== key.onUpdate) {
      problems.push(`Table ${quote(want.name)} has ${describeKey(found)}; the model wants ON DELETE ${key.onDelete} ON UPDATE ${key.onUpdate}.`);
    }
  }
  for (const key of unmatched) problems.push(`Table ${quote(have.name)} has ${describeKey(key)} that model ${want.model} does not declare.`);
  return problems;
}
