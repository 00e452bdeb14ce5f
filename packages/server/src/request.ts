import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type Language = 'en' | 'zh-HK';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's request id (`x-request-id`, as the gateway forwards it), or a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** A W3C `traceparent`: version, trace id, parent span id, flags (all-zero ids are invalid). */
const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})([0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-([0-9a-f]{2})$/;

/** The trace id and flags of the caller's W3C `traceparent`, if it sent a valid one. */
export function traceparentOf(req: IncomingMessage): { traceId: string; flags: string } | undefined {
  const header = req.headers.traceparent;
  const match = typeof header === 'string' ? TRACEPARENT.exec(header.trim()) : null;
  return match ? { traceId: match[1]!, flags: match[2]! } : undefined;
}

/** The trace id of the caller's W3C `traceparent` (the gateway sends one with every fetch), if valid. */
export function traceIdOf(req: IncomingMessage): string | undefined {
  return traceparentOf(req)?.traceId;
}

/** What every log line of one request carries: its request id, and its trace id when it is part of a trace. */
export function requestLogFields(req: IncomingMessage): { requestId: string; traceId?: string } {
  const traceId = traceIdOf(req);
  return { requestId: requestIdOf(req), ...(traceId ? { traceId } : {}) };
}

/** `Accept-Language`: Traditional Chinese for any `zh` preference ahead of English, else English. */
export function languageOf(req: IncomingMessage): Language {
  const header = req.headers['accept-language'];
  if (typeof header !== 'string') return 'en';
  const preferred = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.tag.startsWith('zh') || entry.tag.startsWith('en'))
    .sort((a, b) => b.q - a.q)[0];
  return preferred?.tag.startsWith('zh') ? 'zh-HK' : 'en';
}
