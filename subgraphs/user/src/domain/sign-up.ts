import { phoneTaken } from '@harbour/errors';
import { createEvent, outboxRow, userSignedUp } from '@harbour/events';
import type { Prisma, User } from '@harbour/prisma/user';
import { newId } from '@harbour/server';
import type { UserServices } from '../services';
import { parsePhone } from './phone';
import { startSession, type SessionTokens } from './start-session';
import { isUniqueViolation } from './store-errors';
import { parseDisplayName, parseNewPassword } from './validation';

export interface SignUpInput {
  phone: string;
  displayName: string;
  password: string;
}

/** Registers a user and signs them in. PHONE_TAKEN when the phone is registered. */
export async function signUp(services: UserServices, input: SignUpInput): Promise<SessionTokens & { user: User }> {
  const phone = parsePhone(input.phone);
  const displayName = parseDisplayName(input.displayName);
  const password = parseNewPassword(input.password);
  // Cheap early answer; the unique index below is what actually guarantees it.
  if (await services.store.user.findUnique({ where: { phone }, select: { id: true } })) throw phoneTaken();
  const passwordHash = await services.passwords.hash(password);
  try {
    return await services.store.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { id: newId('user'), phone, displayName, passwordHash } });
      const signedUp = createEvent(userSignedUp, {
        source: 'user',
        aggregateType: 'user',
        aggregateId: user.id,
        payload: { userId: user.id, displayName, signedUpAt: user.createdAt.toISOString() },
        occurredAt: user.createdAt,
      });
      const row = outboxRow(signedUp);
      await tx.outboxEvent.create({ data: { ...row, payload: row.payload as Prisma.InputJsonObject } });
      return { user, ...(await startSession(tx, services, user.id)) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw phoneTaken();
    throw error;
  } finally {
    services.eventsWritten();
  }
}
