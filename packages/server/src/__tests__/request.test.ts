import type { IncomingMessage } from 'node:http';
import { requestLogFields, traceIdOf } from '../request';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('request log fields', () => {
  it('carries the caller’s request id and the trace id of its traceparent', () => {
    const fields = requestLogFields(request({ 'x-request-id': 'req-12345678', traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` }));
    expect(fields).toEqual({ requestId: 'req-12345678', traceId: TRACE_ID });
  });

  it('makes a request id up, and names no trace, when the caller sent neither', () => {
    const fields = requestLogFields(request({}));
    expect(fields.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fields).not.toHaveProperty('traceId');
  });

  it('ignores a traceparent that is not W3C trace context', () => {
    for (const header of [
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
      `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`,
      `00-${TRACE_ID}-00f067aa0ba902b7`,
      'garbage',
    ]) {
      expect(traceIdOf(request({ traceparent: header }))).toBeUndefined();
    }
  });
});
