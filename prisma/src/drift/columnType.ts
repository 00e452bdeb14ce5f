/**
 * Column types in one canonical spelling, so that what the datamodel asks for
 * and what MySQL 8 or MariaDB 10.11 report can be compared as strings:
 * lower-case keyword, parameters without spaces, `unsigned` after them, and
 * no display width on integers (MySQL 8 dropped it, MariaDB still prints it)
 * except `tinyint(1)`, which both keep because it is how a Boolean is told
 * apart from a small integer. Enum values keep their case.
 */

/** Prisma's native type attributes for MySQL (`@db.X`) as SQL keywords. */
const NATIVE_TYPES: Record<string, string> = {
  VarChar: 'varchar',
  Char: 'char',
  Text: 'text',
  TinyText: 'tinytext',
  MediumText: 'mediumtext',
  LongText: 'longtext',
  Int: 'int',
  UnsignedInt: 'int unsigned',
  SmallInt: 'smallint',
  UnsignedSmallInt: 'smallint unsigned',
  TinyInt: 'tinyint',
  UnsignedTinyInt: 'tinyint unsigned',
  MediumInt: 'mediumint',
  UnsignedMediumInt: 'mediumint unsigned',
  BigInt: 'bigint',
  UnsignedBigInt: 'bigint unsigned',
  Bit: 'bit',
  Decimal: 'decimal',
  Double: 'double',
  Float: 'float',
  Date: 'date',
  Time: 'time',
  DateTime: 'datetime',
  Timestamp: 'timestamp',
  Year: 'year',
  Json: 'json',
  Binary: 'binary',
  VarBinary: 'varbinary',
  Blob: 'blob',
  TinyBlob: 'tinyblob',
  MediumBlob: 'mediumblob',
  LongBlob: 'longblob',
};

/** What Prisma's MySQL connector creates for a scalar type without `@db.X`. */
const DEFAULT_TYPES: Record<string, string> = {
  String: 'varchar(191)',
  Boolean: 'tinyint(1)',
  Int: 'int',
  BigInt: 'bigint',
  Float: 'double',
  Decimal: 'decimal(65,30)',
  DateTime: 'datetime(3)',
  Json: 'json',
  Bytes: 'longblob',
};

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint']);

/** `enum('A','B')`, quotes inside values doubled as MySQL prints them. */
export const enumType = (values: string[]) => `enum(${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(',')})`;

/**
 * The type Prisma would create for a scalar field: `type` is the Prisma type
 * (`String`, `BigInt`...), `nativeType` the `@db.X(args)` attribute if any.
 * Undefined for a type this check does not know (reported as such).
 */
export function expectedScalarType(type: string, nativeType: readonly [string, readonly string[]] | null | undefined): string | undefined {
  if (!nativeType) return DEFAULT_TYPES[type];
  const [name, args] = nativeType;
  const keyword = NATIVE_TYPES[name];
  if (keyword === undefined) return undefined;
  // A Boolean stored in TINYINT is TINYINT(1), whatever the attribute says.
  if (type === 'Boolean' && keyword === 'tinyint') return 'tinyint(1)';
  if (name === 'Decimal' && args.length === 0) return 'decimal(65,30)';
  const [base, unsigned] = keyword.split(' ');
  const params = args.length > 0 && !INTEGER_TYPES.has(base) ? `(${args.map((arg) => arg.trim()).join(',')})` : '';
  return `${base}${params}${unsigned ? ` ${unsigned}` : ''}`;
}

/**
 * The canonical form of a column as information_schema.COLUMNS describes it.
 * `jsonChecked`: on MariaDB, JSON is an alias of LONGTEXT with a
 * `json_valid()` check; such a column counts as `json`, a bare LONGTEXT not.
 */
export function actualColumnType(dataType: string, columnType: string, jsonChecked = false): string {
  const data = dataType.toLowerCase();
  if (data === 'longtext' && jsonChecked) return 'json';
  if (data === 'enum' || data === 'set') return data + columnType.slice(data.length);
  const type = columnType.toLowerCase().replace(/\s+/g, ' ').trim();
  if (INTEGER_TYPES.has(data) && !/^tinyint\(1\)/.test(type)) return type.replace(/^(\w+)\(\d+\)/, '$1');
  return type.replace(/\(\s*(\d+)\s*,\s*(\d+)\s*\)/, '($1,$2)');
}
