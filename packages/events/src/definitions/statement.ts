/**
 * Events of statements (money-out.md, Statements), written by the payment
 * subgraph's statements worker when a statement is ready: the notification
 * subgraph tells the member who asked for it.
 */
import { z } from 'zod';
import { defineEvent } from './define';
import { businessName, id, timestamp } from './fields';

/** A statement was written and reconciled: its file can be downloaded (`statement(id)` signs the URL). */
export const statementReady = defineEvent(
  'statement.ready',
  1,
  z.object({
    statementId: id,
    businessId: id,
    businessName,
    /** The member who asked; null when a partner's API key did (no one to notify: the partner gets the webhook). */
    requestedByUserId: id.nullable(),
    format: z.enum(['CSV', 'PDF']),
    from: timestamp,
    to: timestamp,
    rowCount: z.number().int().min(0),
    readyAt: timestamp,
  }),
);
