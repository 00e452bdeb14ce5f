import type { IncomingMessage } from 'node:http';
import { requestTrace, traceHeaders } from '../tracing';

// No tracer provider is started in this file: the gateway as it runs without an OTLP endpoint.
const request = (traceparent?: string) => ({ headers: traceparent === undefined ? {} : { traceparent } }) as IncomingMessage;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('trace context without recorded spans', () => {
  it("continues the caller's trace, flags included", () => {
    expect(requestTrace(request(`00-${TRACE_ID}-00f067aa0ba902b7-01`))).toEqual({ traceId: TRACE_ID, flags: '01' });
  });

  it('begins a new trace for a missing or invalid traceparent (all-zero ids, wrong length, garbage)', () => {
    for (const header of [undefined, `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `00-${TRACE_ID}-${'0'.repeat(16)}-01`, '00-abc-def-01', 'nonsense']) {
      const trace = requestTrace(request(header));
      expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(trace.traceId).not.toBe(TRACE_ID);
      expect(trace.flags).toBe('00');
    }
    expect(requestTrace(request()).traceId).not.toBe(requestTrace(request()).traceId);
  });

  it('sends each subgraph fetch a traceparent of the same trace with its own span id', () => {
    const trace = { traceId: TRACE_ID, flags: '01' };
    const first = traceHeaders(trace).traceparent!;
    const second = traceHeaders(trace).traceparent!;
    for (const header of [first, second]) expect(header).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(first).not.toBe(second);
    expect(traceHeaders(undefined)).toEqual({});
  });
});
