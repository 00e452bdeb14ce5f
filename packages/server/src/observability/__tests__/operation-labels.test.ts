import { ANONYMOUS_OPERATION, OperationLabels, OTHER_OPERATION } from '../operation-labels';

describe('operation labels', () => {
  it('keeps plain names as they are, up to the cap; names past it are (other)', () => {
    const labels = new OperationLabels(2);
    expect(labels.of('Me')).toBe('Me');
    expect(labels.of('MyWallet')).toBe('MyWallet');
    expect(labels.of('Third')).toBe(OTHER_OPERATION);
    // Names seen before the cap keep their label.
    expect(labels.of('Me')).toBe('Me');
  });

  it('labels an unnamed operation (anonymous), and a name that is not a plain GraphQL name (other)', () => {
    const labels = new OperationLabels(10);
    expect(labels.of(undefined)).toBe(ANONYMOUS_OPERATION);
    expect(labels.of(null)).toBe(ANONYMOUS_OPERATION);
    expect(labels.of('')).toBe(ANONYMOUS_OPERATION);
    expect(labels.of('a'.repeat(65))).toBe(OTHER_OPERATION);
    expect(labels.of('Drop"Table')).toBe(OTHER_OPERATION);
    expect(labels.of('1st')).toBe(OTHER_OPERATION);
    expect(labels.of('a'.repeat(64))).toBe('a'.repeat(64));
  });
});
