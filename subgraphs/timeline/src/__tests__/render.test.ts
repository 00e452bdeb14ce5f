import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, Kind, type EnumTypeDefinitionNode } from 'graphql';
import { entriesFor } from '../entries/entries';
import { TIMELINE_ENTRY_KINDS } from '../entries/kinds';
import { decodeCursor, encodeCursor } from '../feed/cursor';
import { formatMoney } from '@harbour/money';
import { GENERIC_SUMMARY, renderSummary } from '../render/summary';
import { newUserId, paymentCompletedEvent } from './support/events';

describe('formatMoney', () => {
  it.each([
    ['0', 'HKD', 'HK$0.00'],
    ['5', 'HKD', 'HK$0.05'],
    ['8850', 'HKD', 'HK$88.50'],
    ['5000000', 'HKD', 'HK$50,000.00'],
    ['123456789012', 'HKD', 'HK$1,234,567,890.12'],
    ['1250', 'USD', 'USD 12.50'],
    ['1250', 'JPY', 'JPY 1,250'],
  ])('%s %s → %s', (minor, currency, text) => {
    expect(formatMoney(minor, currency)).toBe(text);
  });

  it('refuses what is not an amount in minor units', () => {
    for (const [minor, currency] of [['-1', 'HKD'], ['1.5', 'HKD'], ['', 'HKD'], ['1e3', 'HKD'], ['100', 'hkd'], ['100', '']]) {
      expect(() => formatMoney(minor!, currency!)).toThrow(RangeError);
    }
  });
});

describe('renderSummary', () => {
  it('renders what the consumer stores, in both languages', () => {
    const [payer, merchant] = [newUserId(), newUserId()];
    const [sent, received] = entriesFor(paymentCompletedEvent({ payer, merchant, at: '2026-11-22T00:00:00.000Z' }));
    expect(renderSummary(sent!.kind, sent!.params, 'en')).toBe('You paid HK$88.50 to Lucky Noodles');
    expect(renderSummary(sent!.kind, sent!.params, 'zh-HK')).toBe('你向 Lucky Noodles 付款 HK$88.50');
    expect(renderSummary(received!.kind, received!.params, 'en')).toBe('Chan Siu Ming paid HK$88.50 to Lucky Noodles');
    // As stored and read back: plain JSON.
    expect(renderSummary(sent!.kind, JSON.parse(JSON.stringify(sent!.params)), 'zh-HK')).toBe('你向 Lucky Noodles 付款 HK$88.50');
  });

  it('renders a generic line, never an error, for an unknown kind or unreadable parameters', () => {
    const params = { businessName: 'Lucky Noodles', amountMinor: '8850', currency: 'HKD' };
    expect(renderSummary('CASHBACK_RECEIVED', params, 'en')).toBe(GENERIC_SUMMARY.en);
    expect(renderSummary('', params, 'zh-HK')).toBe(GENERIC_SUMMARY['zh-HK']);
    for (const broken of [null, undefined, 'text', 42, [], {}, { ...params, amountMinor: 8850 }, { ...params, amountMinor: '-1' }, { ...params, businessName: '' }, { ...params, currency: null }]) {
      expect(renderSummary('PAYMENT_SENT', broken, 'en')).toBe(GENERIC_SUMMARY.en);
      expect(renderSummary('PAYMENT_SENT', broken, 'zh-HK')).toBe(GENERIC_SUMMARY['zh-HK']);
    }
  });

  it('has a template for every kind in every language', () => {
    const params = {
      businessName: 'B',
      payerName: 'P',
      counterpartyName: 'C',
      friendName: 'F',
      amountMinor: '100',
      currency: 'HKD',
    };
    for (const kind of TIMELINE_ENTRY_KINDS) {
      for (const language of ['en', 'zh-HK'] as const) {
        expect({ kind, language, summary: renderSummary(kind, params, language) }).not.toEqual({ kind, language, summary: GENERIC_SUMMARY[language] });
      }
    }
  });
});

it("knows exactly the schema's TimelineEntryKind values", () => {
  const sdl = parse(readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));
  const kinds = sdl.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'TimelineEntryKind');
  expect(kinds?.values?.map((value) => value.name.value)).toEqual([...TIMELINE_ENTRY_KINDS]);
});

it('cursors round-trip, and only their own spelling decodes', () => {
  const at = new Date('2026-11-22T01:02:03.456Z');
  const id = 'tle_01JD00000000000000000000AB';
  const cursor = encodeCursor(at, id);
  expect(decodeCursor(cursor)).toEqual({ at, id });
  expect(() => decodeCursor(`${cursor}=`)).toThrow('The cursor is not valid.');
});
