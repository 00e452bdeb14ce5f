/** The drift check's pure parts, including what MySQL 8 reports (no MySQL 8 runs on these machines). */
import { actualColumnType, expectedScalarType } from '../columnType';
import { compareShapes } from '../compare';
import { expectedShape, parseDatamodel, usesPrismaRelationMode } from '../expected';
import type { SchemaShape, Table } from '../types';

describe('column types', () => {
  it.each([
    // [DATA_TYPE, COLUMN_TYPE, MariaDB JSON check, canonical]
    ['int', 'int', false, 'int'], // MySQL 8
    ['int', 'int(11)', false, 'int'], // MariaDB
    ['int', 'int(10) unsigned', false, 'int unsigned'],
    ['bigint', 'bigint', false, 'bigint'],
    ['bigint', 'bigint(20)', false, 'bigint'],
    ['tinyint', 'tinyint(1)', false, 'tinyint(1)'],
    ['tinyint', 'tinyint(4)', false, 'tinyint'],
    ['varchar', 'varchar(40)', false, 'varchar(40)'],
    ['char', 'char(3)', false, 'char(3)'],
    ['datetime', 'datetime(3)', false, 'datetime(3)'],
    ['decimal', 'decimal(10,2)', false, 'decimal(10,2)'],
    ['json', 'json', false, 'json'], // MySQL 8
    ['longtext', 'longtext', true, 'json'], // MariaDB JSON
    ['longtext', 'longtext', false, 'longtext'],
    ['enum', "enum('Owner','CASHIER')", false, "enum('Owner','CASHIER')"],
  ])('%s %s (json check: %s) reads as %s', (dataType, columnType, jsonChecked, canonical) => {
    expect(actualColumnType(dataType, columnType, jsonChecked)).toBe(canonical);
  });

  it.each([
    ['String', ['VarChar', ['40']], 'varchar(40)'],
    ['String', ['Char', ['64']], 'char(64)'],
    ['String', null, 'varchar(191)'],
    ['BigInt', null, 'bigint'],
    ['Int', null, 'int'],
    ['Int', ['UnsignedInt', []], 'int unsigned'],
    ['Boolean', null, 'tinyint(1)'],
    ['DateTime', ['DateTime', ['3']], 'datetime(3)'],
    ['DateTime', null, 'datetime(3)'],
    ['Json', null, 'json'],
    ['Decimal', null, 'decimal(65,30)'],
    ['Decimal', ['Decimal', ['10', '2']], 'decimal(10,2)'],
  ] as const)('%s %j is created as %s', (type, nativeType, sql) => {
    expect(expectedScalarType(type, nativeType)).toBe(sql);
  });
});

const SCHEMA = `
datasource db {
  provider = "mysql"
}

enum Role {
  OWNER  @map("owner")
  CASHIER
}

model Shop {
  id      Int      @id @default(autoincrement())
  ownerId String   @map("owner_id") @db.VarChar(40)
  role    Role
  staff   Staff[]

  @@unique([ownerId, role])
  @@map("shops")
}

model Staff {
  shopId Int?    @map("shop_id")
  userId String  @map("user_id") @db.Char(26)
  shop   Shop?   @relation(fields: [shopId], references: [id])

  @@id([userId])
  @@index([shopId])
}
`;

describe('expectedShape', () => {
  it('reads tables, columns, indexes and foreign keys as Prisma would create them', async () => {
    const shape = expectedShape(await parseDatamodel(SCHEMA, 'schema.prisma'), true);

    expect(shape.tables).toEqual([
      {
        name: 'shops',
        model: 'Shop',
        columns: [
          { name: 'id', type: 'int', nullable: false, autoIncrement: true, source: 'Shop.id' },
          { name: 'owner_id', type: 'varchar(40)', nullable: false, autoIncrement: false, source: 'Shop.ownerId' },
          { name: 'role', type: "enum('owner','CASHIER')", nullable: false, autoIncrement: false, source: 'Shop.role' },
        ],
        indexes: [
          { kind: 'primary', columns: [{ name: 'id', length: null, descending: false }] },
          {
            kind: 'unique',
            columns: [
              { name: 'owner_id', length: null, descending: false },
              { name: 'role', length: null, descending: false },
            ],
          },
        ],
        foreignKeys: [],
      },
      {
        name: 'Staff',
        model: 'Staff',
        columns: [
          { name: 'shop_id', type: 'int', nullable: true, autoIncrement: false, source: 'Staff.shopId' },
          { name: 'user_id', type: 'char(26)', nullable: false, autoIncrement: false, source: 'Staff.userId' },
        ],
        indexes: [
          { kind: 'primary', columns: [{ name: 'user_id', length: null, descending: false }] },
          { kind: 'normal', columns: [{ name: 'shop_id', length: null, descending: false }] },
        ],
        // An optional relation: Prisma's default is ON DELETE SET NULL.
        foreignKeys: [{ columns: ['shop_id'], referencedTable: 'shops', referencedColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' }],
      },
    ]);
  });

  it('wants no foreign keys under relationMode = "prisma"', async () => {
    const schema = SCHEMA.replace('provider = "mysql"', 'provider = "mysql"\n  relationMode = "prisma"');
    expect(usesPrismaRelationMode(schema)).toBe(true);
    expect(usesPrismaRelationMode(SCHEMA)).toBe(false);
    const shape = expectedShape(await parseDatamodel(schema, 'schema.prisma'), !usesPrismaRelationMode(schema));
    expect(shape.tables.flatMap((table) => table.foreignKeys)).toEqual([]);
  });

  it('names the file and the problem, on one line, when the schema does not parse', async () => {
    await expect(parseDatamodel('model X {\n  id Int @id\n', 'broken.prisma')).rejects.toThrow(/^Cannot parse broken\.prisma: [^\n]+$/);
  });
});

describe('compareShapes', () => {
  const column = (name: string, type = 'int') => ({ name, type, nullable: false, autoIncrement: false });
  const table = (extra: Partial<Table>): Table => ({ name: 't', model: 'T', columns: [column('a'), column('b')], indexes: [], foreignKeys: [], ...extra });
  const shape = (t: Table): SchemaShape => ({ tables: [t], foreignKeys: true });
  const col = (name: string) => ({ name, length: null, descending: false });
  const key = { columns: ['b'], referencedTable: 't', referencedColumns: ['a'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' };

  it('ignores the index MySQL creates by itself for a foreign key', () => {
    const want = table({ indexes: [{ kind: 'primary', columns: [col('a')] }], foreignKeys: [key] });
    const have = table({
      indexes: [
        { kind: 'primary', name: 'PRIMARY', columns: [col('a')] },
        { kind: 'normal', name: 't_b_fkey', columns: [col('b')] },
      ],
      foreignKeys: [{ ...key, name: 't_b_fkey' }],
    });
    expect(compareShapes(shape(want), shape(have))).toEqual([]);
  });

  it('reports a wrong primary key once, and a missing AUTO_INCREMENT', () => {
    const want = table({ columns: [{ ...column('a'), autoIncrement: true }, column('b')], indexes: [{ kind: 'primary', columns: [col('a')] }] });
    const have = table({ indexes: [{ kind: 'primary', name: 'PRIMARY', columns: [col('a'), col('b')] }] });
    expect(compareShapes(shape(want), shape(have))).toEqual([
      'Column `t`.`a` is not AUTO_INCREMENT; the model has @default(autoincrement()).',
      'Table `t` has the primary key (a, b); the model wants (a).',
    ]);
  });

  it('compares index columns in order, with prefix lengths and direction', () => {
    const want = table({ indexes: [{ kind: 'normal', columns: [col('a'), { name: 'b', length: 10, descending: true }] }] });
    const have = table({ indexes: [{ kind: 'normal', name: 't_idx', columns: [col('b'), col('a')] }] });
    expect(compareShapes(shape(want), shape(have))).toEqual([
      'Table `t` lacks an index on (a, b(10) DESC) (model T).',
      'Table `t` has an index `t_idx` on (b, a) that model T does not declare.',
    ]);
  });
});
