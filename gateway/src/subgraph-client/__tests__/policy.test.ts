import { isConnectionFailure, isRetryableBody, retryDelayMs } from '../policy';

const body = (query: string) => JSON.stringify({ query, variables: {} });

describe('retry policy', () => {
  it('retries queries only, never mutations or anything it cannot tell', () => {
    expect(isRetryableBody(body('query Op__user__0 { me { id } }'))).toBe(true);
    expect(isRetryableBody(body('query{ me { id } }'))).toBe(true);
    expect(isRetryableBody(body('{ me { id } }'))).toBe(true);
    expect(isRetryableBody(body('mutation Op__payment__0 { payPaymentRequest { id } }'))).toBe(false);
    expect(isRetryableBody(body('queryish'))).toBe(false);
    expect(isRetryableBody(JSON.stringify({ variables: {}, extensions: { persistedQuery: { sha256Hash: 'x' } } }))).toBe(false);
    expect(isRetryableBody(JSON.stringify({ variables: { q: 'query x' }, query: 'mutation M { a }' }))).toBe(false);
  });

  it('counts only connection failures as retryable errors', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']) expect(isConnectionFailure(Object.assign(new Error('x'), { code }))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe(false);
    expect(isConnectionFailure(new Error('no code'))).toBe(false);
    expect(isConnectionFailure(null)).toBe(false);
  });

  it('backs off exponentially, with jitter of at most half', () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const delay = retryDelayMs(attempt, 20);
      expect(delay).toBeGreaterThanOrEqual(10 * 2 ** attempt);
      expect(delay).toBeLessThanOrEqual(20 * 2 ** attempt);
    }
  });
});
