/** The shape both sides of the drift check are brought to before comparing. */

export type IndexKind = 'primary' | 'unique' | 'normal' | 'fulltext';

export interface IndexColumn {
  name: string;
  /** Prefix length (`@@index([name(length: 10)])`, STATISTICS.SUB_PART); null for the whole column. */
  length: number | null;
  descending: boolean;
}

export interface Index {
  kind: IndexKind;
  columns: IndexColumn[];
  /** The index's name; only on the database side (names are not compared, columns are). */
  name?: string;
}

export interface ForeignKey {
  /** The constraint's name; only on the database side. */
  name?: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  /** As information_schema.REFERENTIAL_CONSTRAINTS spells them: RESTRICT, CASCADE, SET NULL... */
  onDelete: string;
  onUpdate: string;
}

export interface Column {
  name: string;
  /** Canonical type (see columnType.ts); undefined when the model's type cannot be checked. */
  type: string | undefined;
  nullable: boolean;
  autoIncrement: boolean;
  /** Where the model declares it (`User.phone`); only on the model side. */
  source?: string;
}

export interface Table {
  name: string;
  /** The model it comes from; only on the model side. */
  model?: string;
  columns: Column[];
  indexes: Index[];
  foreignKeys: ForeignKey[];
}

export interface SchemaShape {
  tables: Table[];
  /** False under `relationMode = "prisma"`: the model then wants no foreign keys at all. */
  foreignKeys: boolean;
}
