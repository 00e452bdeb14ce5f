/**
 * What both drivers do with one event handed to a consumer: run the handler,
 * then acknowledge, leave pending, or dead-letter. Kept in one place so the
 * two drivers cannot drift apart.
 */
import type { Logger } from '@harbour/logger';
import type { DomainEvent } from '../definitions/envelope';
import { errorMessage } from '../internal/async';
import type { Delivery, EventHandler } from './types';

export interface DeliveryActions {
  ack(): Promise<void>;
  deadLetter(error: string): Promise<void>;
}

export interface DeliverInput {
  /** Null when the stored message could not be decoded. */
  event: DomainEvent | null;
  delivery: Delivery;
  handler: EventHandler;
  maxDeliveries: number;
  actions: DeliveryActions;
  logger: Logger;
  /** True once `close()` gave up waiting: the outcome must then not be recorded. */
  abandoned: () => boolean;
}

export async function deliver({ event, delivery, handler, maxDeliveries, actions, logger, abandoned }: DeliverInput): Promise<void> {
  const context = { eventId: event?.id, type: event?.type, group: delivery.group, consumer: delivery.consumer, attempt: delivery.attempt };
  if (!event) {
    // Retrying cannot make undecodable bytes decodable.
    logger.error(context, 'Dead-lettering an undecodable bus message');
    await actions.deadLetter('undecodable message');
    return;
  }
  if (delivery.attempt > maxDeliveries) {
    // Earlier deliveries ended without an outcome (their consumer died, or
    // crashed on this very event): stop before it takes more consumers down.
    logger.error(context, 'Dead-lettering an event delivered too many times');
    await actions.deadLetter(`not acknowledged after ${maxDeliveries} deliveries`);
    return;
  }
  try {
    await handler(event, delivery);
  } catch (error) {
    if (abandoned()) return;
    if (delivery.attempt >= maxDeliveries) {
      logger.error({ ...context, err: error }, 'Event handler failed for the last time; dead-lettering the event');
      await actions.deadLetter(errorMessage(error));
    } else {
      logger.warn({ ...context, err: error }, 'Event handler failed; the event stays pending and will be redelivered');
    }
    return;
  }
  if (!abandoned()) await actions.ack();
}
