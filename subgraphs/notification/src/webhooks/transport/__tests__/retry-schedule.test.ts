/**
 * WEBHOOK_RETRY_SCHEDULE: a comma-separated list of delays, checked once at
 * start (anything malformed is a ConfigError naming the setting), and the
 * ±10% jitter applied to each delay.
 */
import { ConfigError } from '@harbour/config';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule, withJitter } from '..';

describe('parseRetrySchedule', () => {
  it('reads the default schedule as milliseconds', () => {
    expect(parseRetrySchedule(DEFAULT_RETRY_SCHEDULE)).toEqual([5000, 300000, 1800000, 7200000, 18000000, 36000000, 36000000]);
  });

  it('reads every unit, and tolerates spaces around entries', () => {
    expect(parseRetrySchedule('250ms, 1s ,2m,3h,1d')).toEqual([250, 1_000, 120_000, 10_800_000, 86_400_000]);
  });

  it('takes up to 50 entries', () => {
    expect(parseRetrySchedule(Array(50).fill('1s').join(','))).toHaveLength(50);
  });

  it.each([
    ['an empty text', ''],
    ['only a comma', ','],
    ['an empty entry', '5s,,5m'],
    ['a trailing comma', '5s,5m,'],
    ['a zero delay', '5s,0m'],
    ['a negative delay', '-5s'],
    ['an unknown unit', '5s,5w'],
    ['no unit', '5000'],
    ['no number', 's'],
    ['a fraction', '1.5s'],
    ['a space inside an entry', '5 s'],
    ['an upper-case unit', '5S'],
    ['a delay too large to hold', '99999999999999999d'],
    ['more than 50 entries', Array(51).fill('1s').join(',')],
  ])('refuses %s with a ConfigError naming WEBHOOK_RETRY_SCHEDULE', (_name, text) => {
    expect(() => parseRetrySchedule(text)).toThrow(ConfigError);
    expect(() => parseRetrySchedule(text)).toThrow(/^WEBHOOK_RETRY_SCHEDULE is malformed: /);
  });

  it('says which entry is wrong', () => {
    expect(() => parseRetrySchedule('5s,5m,5x')).toThrow('WEBHOOK_RETRY_SCHEDULE is malformed: entry 3 ("5x") is not a whole number followed by ms, s, m, h or d.');
  });
});

describe('withJitter', () => {
  it('moves a delay by at most 10% either way', () => {
    expect(withJitter(10_000, () => 0)).toBe(9_000);
    expect(withJitter(10_000, () => 0.5)).toBe(10_000);
    expect(withJitter(10_000, () => 0.999999)).toBe(11_000);
  });

  it('stays within ±10% with the real random source', () => {
    for (let i = 0; i < 1_000; i += 1) {
      const delay = withJitter(300_000);
      expect(delay).toBeGreaterThanOrEqual(270_000);
      expect(delay).toBeLessThanOrEqual(330_000);
    }
  });

  it('never goes below zero', () => {
    expect(withJitter(0, () => 0)).toBe(0);
    expect(withJitter(1, () => 0)).toBeGreaterThanOrEqual(0);
  });
});
