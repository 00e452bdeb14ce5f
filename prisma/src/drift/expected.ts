/**
 * What a Prisma datamodel asks of a MySQL database, read with Prisma's own
 * parser (`getDMMF`, WebAssembly: works offline), so that `@map`, `@@map`,
 * `@@id` and the rest mean exactly what they mean to Prisma.
 */
import { stripVTControlCharacters } from 'node:util';
import type { getDMMF } from '@prisma/get-dmmf';
import { enumType, expectedScalarType } from './columnType';
import type { Column, ForeignKey, Index, IndexKind, SchemaShape, Table } from './types';

type Document = Extract<ReturnType<typeof getDMMF>, { datamodel: unknown }>;
export type Datamodel = Document['datamodel'];
type Model = Datamodel['models'][number];
type Field = Model['fields'][number];

/** Parses a schema.prisma; `fileName` only names it in errors. */
export async function parseDatamodel(schema: string, fileName: string): Promise<Datamodel> {
  // Loaded on first use: the parser is a large WebAssembly module that services importing this package never need.
  const { getDMMF: parse } = await import('@prisma/get-dmmf');
  const result = await parse({ datamodel: schema });
  if ('datamodel' in result) return result.datamodel;
  // The parser's message is coloured for a terminal and spread over lines.
  const text = stripVTControlCharacters(String(result.error?.message ?? result.reason));
  throw new Error(`Cannot parse ${fileName}: ${text.replace(/\s*\n\s*/g, ' ').slice(0, 500)}`);
}

/** `relationMode = "prisma"` in the datasource: Prisma then creates no foreign keys. */
export function usesPrismaRelationMode(schema: string): boolean {
  const withoutComments = schema.replace(/\/\/[^\n]*/g, '');
  return /datasource\s+\w+\s*\{[^}]*\brelationMode\s*=\s*"prisma"/.test(withoutComments);
}

const REFERENTIAL_ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

const INDEX_KINDS: Record<string, IndexKind> = { id: 'primary', unique: 'unique', normal: 'normal', fulltext: 'fulltext' };

export function expectedShape(datamodel: Datamodel, foreignKeys: boolean): SchemaShape {
  const models = new Map(datamodel.models.map((model) => [model.name, model]));
  const enums = new Map(datamodel.enums.map((e) => [e.name, e.values.map((value) => value.dbName ?? value.name)]));

  const tables = datamodel.models.map((model): Table => {
    const columnOf = columnNamer(model);
    const columns = model.fields
      .filter((field) => field.kind !== 'object')
      .map((field): Column => ({
        name: columnOf(field.name),
        type: field.kind === 'enum' ? enumType(enums.get(field.type) ?? []) : expectedScalarType(field.type, field.nativeType),
        nullable: !field.isRequired,
        autoIncrement: isAutoIncrement(field),
        source: `${model.name}.${field.name}`,
      }));

    const indexes = datamodel.indexes
      .filter((index) => index.model === model.name && INDEX_KINDS[index.type] !== undefined)
      .map((index): Index => ({
        kind: INDEX_KINDS[index.type],
        columns: index.fields.map((field) => ({
          name: columnOf(field.name),
          length: field.length ?? null,
          descending: field.sortOrder === 'desc',
        })),
      }));

    const keys = foreignKeys
      ? model.fields
          .filter((field) => field.kind === 'object' && (field.relationFromFields?.length ?? 0) > 0)
          .map((field) => foreignKeyOf(model, field, models))
      : [];

    return { name: model.dbName ?? model.name, model: model.name, columns, indexes, foreignKeys: keys };
  });
  return { tables, foreignKeys };
}

function columnNamer(model: Model): (fieldName: string) => string {
  const names = new Map(model.fields.map((field) => [field.name, field.dbName ?? field.name]));
  return (fieldName) => names.get(fieldName) ?? fieldName;
}

function isAutoIncrement(field: Field): boolean {
  const value = field.default;
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'name' in value && value.name === 'autoincrement';
}

/** Prisma's defaults: ON DELETE RESTRICT (SET NULL when the relation is optional), ON UPDATE CASCADE. */
function foreignKeyOf(model: Model, relation: Field, models: Map<string, Model>): ForeignKey {
  const from = relation.relationFromFields ?? [];
  const target = models.get(relation.type);
  const ownFields = new Map(model.fields.map((field) => [field.name, field]));
  const optional = from.some((name) => !ownFields.get(name)?.isRequired);
  const onDelete = relation.relationOnDelete ?? (optional ? 'SetNull' : 'Restrict');
  const onUpdate = relation.relationOnUpdate ?? 'Cascade';
  return {
    columns: from.map(columnNamer(model)),
    referencedTable: target?.dbName ?? relation.type,
    referencedColumns: (relation.relationToFields ?? []).map(target ? columnNamer(target) : (name) => name),
    onDelete: REFERENTIAL_ACTIONS[onDelete] ?? onDelete.toUpperCase(),
    onUpdate: REFERENTIAL_ACTIONS[onUpdate] ?? onUpdate.toUpperCase(),
  };
}
