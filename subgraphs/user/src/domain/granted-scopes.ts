import type { Prisma } from '@harbour/prisma/user';

/** The scopes granted to a user, for the `scope` claim of their next access token. */
export async function grantedScopes(db: Pick<Prisma.TransactionClient, 'userScope'>, userId: string): Promise<string[]> {
  const rows = await db.userScope.findMany({ where: { userId }, select: { scope: true }, orderBy: { scope: 'asc' } });
  return rows.map((row) => row.scope);
}
