import { createLogger } from '@harbour/logger';

/** Quiet unless TEST_LOG_LEVEL asks: these tests fail handlers and cut connections on purpose. */
export const testLogger = createLogger('events-test', process.env.TEST_LOG_LEVEL ?? 'silent');
