/** An endpoint's input, checked at the edge: BAD_USER_INPUT naming the field, never a 500. */
import { badUserInput } from '@harbour/errors';
import { characterCount, isWellFormedText, parseOptionalText } from '@harbour/server';
import type { WebhookApiConfig } from './config';
import { DESCRIPTION_MAX_LENGTH, URL_MAX_LENGTH, WEBHOOK_EVENT_TYPES, isWebhookEventType } from './rules';
import { checkEndpointUrl } from './transport';

/** The URL as it will be called: http(s) in sandbox mode; https to a public address in production (checked again at every delivery). */
export async function parseEndpointUrl(value: string, config: WebhookApiConfig): Promise<string> {
  if (!isWellFormedText(value) || characterCount(value) > URL_MAX_LENGTH) throw badUserInput(`url must be a URL of at most ${URL_MAX_LENGTH} characters.`, 'url');
  const checked = await checkEndpointUrl(value.trim(), { mode: config.mode, ...(config.lookup ? { lookup: config.lookup } : {}) });
  if (!checked.ok) throw badUserInput(`url is not allowed: ${checked.reason}`, 'url');
  const url = checked.url.toString();
  if (url.length > URL_MAX_LENGTH) throw badUserInput(`url must be a URL of at most ${URL_MAX_LENGTH} characters.`, 'url');
  return url;
}

/** At least one known type, each once; stored sorted, space-separated. */
export function parseEventTypes(values: readonly string[]): string {
  if (values.length === 0) throw badUserInput('eventTypes must name at least one event type.', 'eventTypes');
  const unknown = values.filter((type) => !isWebhookEventType(type));
  if (unknown.length) {
    throw badUserInput(`eventTypes: unknown event type ${JSON.stringify(unknown[0]!.slice(0, 64))}; known: ${WEBHOOK_EVENT_TYPES.join(', ')} (Query.webhookEventTypes).`, 'eventTypes');
  }
  return [...new Set(values)].sort().join(' ');
}

export const parseDescription = (value: string | null | undefined) => parseOptionalText(value, { field: 'description', label: 'Description', max: DESCRIPTION_MAX_LENGTH });

export const eventTypesOf = (stored: string): string[] => stored.split(' ').filter(Boolean);
