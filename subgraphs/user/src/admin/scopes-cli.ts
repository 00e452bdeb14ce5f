/**
 * `npm run user:grant-scope -- <user id or phone> <scope>` and
 * `npm run user:revoke-scope -- <user id or phone> <scope>`: an operator's
 * way to give staff a scope (see SCOPES in @harbour/identity), against the
 * user store at USER_DATABASE_URL (else MYSQL_URL's harbour_user).
 */
import { databaseUrl } from '@harbour/config';
import { createUserStore } from '@harbour/prisma/user';
import { GraphQLError } from 'graphql';
import { grantScope } from '../domain/grant-scope';
import { revokeScope } from '../domain/revoke-scope';

async function main(): Promise<number> {
  const [action, user, scope] = process.argv.slice(2);
  if ((action !== 'grant' && action !== 'revoke') || !user || !scope) {
    process.stderr.write('usage: scopes-cli.ts grant|revoke <user id or phone> <scope>\n');
    return 2;
  }
  const store = createUserStore(databaseUrl('user'));
  try {
    if (action === 'grant') {
      const { userId, granted } = await grantScope(store, { user, scope });
      process.stdout.write(`${granted ? 'granted' : 'already held'}: ${scope} to ${userId} (in their tokens from the next log-in or refresh)\n`);
    } else {
      const { userId, revoked } = await revokeScope(store, { user, scope });
      process.stdout.write(`${revoked ? 'revoked' : 'not held'}: ${scope} of ${userId}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof GraphQLError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await store.$disconnect();
  }
}

main().then((code) => process.exit(code));
