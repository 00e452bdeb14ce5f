import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * A JSON logger whose every line names the service that wrote it. Secrets
 * that might ride along in a logged object are redacted.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'password',
        '*.password',
        'refreshToken',
        '*.refreshToken',
        'accessToken',
        '*.accessToken',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'headers["x-harbour-identity"]',
      ],
      censor: '[redacted]',
    },
  });
}
