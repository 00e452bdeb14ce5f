import { isStaffScope } from '@harbour/identity';
import type { Prisma } from '@harbour/prisma/user';

/**
 * The scopes granted to a user, for the `scope` claim of their next ordinary
 * access token: staff scopes are left out (console.md) — they are carried
 * only by a staff token, after the second factor (`verifyStaffTotp`).
 */
export async function grantedScopes(db: Pick<Prisma.TransactionClient, 'userScope'>, userId: string): Promise<string[]> {
  return (await allGrantedScopes(db, userId)).filter((scope) => !isStaffScope(scope));
}

/** Every scope granted to a user, staff scopes included. */
export async function allGrantedScopes(db: Pick<Prisma.TransactionClient, 'userScope'>, userId: string): Promise<string[]> {
  const rows = await db.userScope.findMany({ where: { userId }, select: { scope: true }, orderBy: { scope: 'asc' } });
  return rows.map((row) => row.scope);
}
