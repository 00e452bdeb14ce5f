/**
 * `npm run db:migrate [-- --store <store>]`
 * `npm run db:migrate -- resolve --applied|--rolled-back <migration_name> <store>`
 *
 * Prints one line per store. On error prints the error's message, one line
 * without a stack, and exits 1: the messages say what to do.
 */
import { parseArgs } from 'node:util';
import { databaseUrl, isSubgraphName, SUBGRAPHS, type SubgraphName } from '@harbour/config';
import { migrate, resolveMigration, type MigrateLogger, type MigrateResult } from './runner';

const USAGE = `usage: npm run db:migrate [-- --store <${SUBGRAPHS.join('|')}>]
       npm run db:migrate -- resolve --applied|--rolled-back <migration_name> <store>`;

class UsageError extends Error {}

/** Warnings as plain lines on stderr; progress is the one line per store. */
const logger: MigrateLogger = {
  info: () => undefined,
  warn: (fields, message) => console.error(`warning: ${fields.store ? `${String(fields.store)}: ` : ''}${message}`),
};

function storeArg(value: string | undefined): SubgraphName {
  if (value === undefined) throw new UsageError(`a store is required; see --help`);
  if (!isSubgraphName(value)) throw new UsageError(`unknown store "${value}": expected one of ${SUBGRAPHS.join(', ')}`);
  return value;
}

function describe(result: MigrateResult): string {
  const { store, database, applied, alreadyApplied } = result;
  if (applied.length === 0) return `${store}: ${database} is up to date (${alreadyApplied} migration${alreadyApplied === 1 ? '' : 's'})`;
  return `${store}: applied ${applied.join(', ')} to ${database}`;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      store: { type: 'string' },
      applied: { type: 'boolean' },
      'rolled-back': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const [command, ...rest] = positionals;
  if (command === 'resolve') {
    if (Boolean(values.applied) === Boolean(values['rolled-back'])) throw new UsageError(`resolve needs exactly one of --applied or --rolled-back; see --help`);
    if (rest.length !== 2) throw new UsageError(`resolve needs <migration_name> <store>; see --help`);
    const [name, storeName] = rest as [string, string];
    const store = storeArg(storeName);
    const how = values.applied ? 'applied' : 'rolled-back';
    await resolveMigration(store, databaseUrl(store), name, how, { logger });
    console.log(`${store}: marked ${name} as ${how}`);
    return;
  }
  if (command !== undefined) throw new UsageError(`unknown command "${command}"; see --help`);
  if (values.applied || values['rolled-back']) throw new UsageError(`--applied and --rolled-back go with resolve; see --help`);

  const stores = values.store === undefined ? SUBGRAPHS : [storeArg(values.store)];
  for (const store of stores) console.log(describe(await migrate(store, databaseUrl(store), { logger })));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // One line, without a stack: the message says what to do.
  const message = err instanceof Error ? err.message : String(err);
  console.error(message.replace(/\s*\n\s*/g, ' '));
  process.exitCode = 1;
});
