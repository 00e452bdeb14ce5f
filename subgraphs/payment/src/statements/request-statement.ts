import { forbidden, harbourError, notFound, ErrorCode } from '@harbour/errors';
import { Prisma, type Statement, type StatementFormat } from '@harbour/prisma/payment';
import { newId } from '@harbour/server';
import { checkIdempotencyKey, CURRENCY } from '../domain/validation';
import { standingOf, type Actor } from '../partners/actor';
import type { PaymentServices } from '../services';
import { checkStatementWindow } from './rules';

export interface RequestStatementInput {
  businessId: string;
  from: Date;
  to: Date;
  format: StatementFormat;
  idempotencyKey?: string | null;
}

const keyReused = () => harbourError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was already used for a different statement.');

/**
 * An OWNER or MANAGER (or a partner's API key of the business) asks for a
 * statement: a PENDING row the statements worker picks up. With an
 * idempotency key, a retry answers the statement the first request made
 * (per business and asker); the same key with a different window or format
 * is IDEMPOTENCY_KEY_REUSED.
 */
export async function requestStatement(services: PaymentServices, actor: Actor, input: RequestStatementInput, requestId?: string): Promise<Statement> {
  const key = input.idempotencyKey == null ? null : checkIdempotencyKey(input.idempotencyKey);
  const now = services.now();
  checkStatementWindow(input.from, input.to, now);
  const membership = await standingOf(services, actor, input.businessId, requestId);
  if (!membership?.role) throw notFound('Business');
  if (membership.role === 'CASHIER') throw forbidden('Only an OWNER or a MANAGER can ask for a statement.');

  if (key !== null) {
    const earlier = await findByKey(services, input.businessId, actor, key);
    if (earlier) return sameRequest(earlier, input);
  }
  const statement: Statement = {
    id: newId('statement'),
    businessId: input.businessId,
    requestedByUserId: actor.kind === 'member' ? actor.userId : null,
    requestedByApiKeyId: actor.kind === 'apiKey' ? actor.apiKeyId : null,
    businessName: membership.business.name,
    idempotencyKey: key,
    format: input.format,
    from: input.from,
    to: input.to,
    currency: CURRENCY,
    status: 'PENDING',
    attempts: 0,
    leaseOwner: null,
    leaseUntil: null,
    rowCount: null,
    openingBalance: null,
    closingBalance: null,
    blobName: null,
    byteCount: null,
    failureCode: null,
    createdAt: now,
    completedAt: null,
    updatedAt: now,
  };
  try {
    await services.store.statement.createMany({ data: statement });
  } catch (error) {
    // The same key, at the same moment, from a second request: the first one's statement is the answer.
    if (key !== null && error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const winner = await findByKey(services, input.businessId, actor, key);
      if (winner) return sameRequest(winner, input);
    }
    throw error;
  }
  return statement;
}

function findByKey(services: PaymentServices, businessId: string, actor: Actor, idempotencyKey: string) {
  return actor.kind === 'member'
    ? services.store.statement.findUnique({ where: { businessId_requestedByUserId_idempotencyKey: { businessId, requestedByUserId: actor.userId, idempotencyKey } } })
    : services.store.statement.findUnique({ where: { businessId_requestedByApiKeyId_idempotencyKey: { businessId, requestedByApiKeyId: actor.apiKeyId, idempotencyKey } } });
}

function sameRequest(earlier: Statement, input: RequestStatementInput): Statement {
  const same = earlier.format === input.format && earlier.from.getTime() === input.from.getTime() && earlier.to.getTime() === input.to.getTime();
  if (!same) throw keyReused();
  return earlier;
}
