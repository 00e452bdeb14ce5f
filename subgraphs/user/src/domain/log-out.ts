import type { UserServices } from '../services';
import { revokeSession } from './revoke-session';

/** Revokes the caller's own session. */
export async function logOut(services: UserServices, caller: { userId: string; sessionId: string }): Promise<boolean> {
  const session = await services.store.session.findUnique({ where: { id: caller.sessionId }, select: { userId: true } });
  // A session id that is not the caller's own (cannot happen with a verified token) revokes nothing.
  if (!session || session.userId !== caller.userId) return false;
  await revokeSession(services, caller.sessionId, 'LOGGED_OUT');
  return true;
}
