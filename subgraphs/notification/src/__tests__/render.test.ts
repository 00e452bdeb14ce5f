import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tryFormatMoney as formatMoney } from '@harbour/money';
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import { NOTIFICATION_KINDS } from '../domain/kinds';
import { renderNotification } from '../domain/render';

describe('formatMoney', () => {
  test.each([
    ['0', 'HK$0.00'],
    ['5', 'HK$0.05'],
    ['8850', 'HK$88.50'],
    ['123450', 'HK$1,234.50'],
    ['100000000', 'HK$1,000,000.00'],
    ['9999999999999999999', 'HK$99,999,999,999,999,999.99'],
  ])('%s minor units of HKD are %s', (minor, text) => {
    expect(formatMoney(minor, 'HKD')).toBe(text);
  });

  test('other currencies are named by their code; malformed amounts are refused', () => {
    expect(formatMoney('1200', 'USD')).toBe('USD 12.00');
    expect(formatMoney('-1', 'HKD')).toBeNull();
    expect(formatMoney('1.5', 'HKD')).toBeNull();
    expect(formatMoney('', 'HKD')).toBeNull();
  });
});

describe('renderNotification', () => {
  const received = { paymentId: 'pay_1', businessId: 'biz_1', businessName: 'Lucky Noodles', payerUserId: 'usr_1', payerDisplayName: 'Chan Siu Ming', amountMinor: '8850', currency: 'HKD', reference: null };

  test('a payment received, in English and in Hong Kong Chinese', () => {
    expect(renderNotification('PAYMENT_RECEIVED', received, 'en')).toEqual({ title: 'Payment received', body: 'Chan Siu Ming paid you HK$88.50 at Lucky Noodles.' });
    expect(renderNotification('PAYMENT_RECEIVED', received, 'zh-HK')).toEqual({ title: '已收款', body: 'Chan Siu Ming 已在 Lucky Noodles 向你付款 HK$88.50。' });
  });

  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['PAYMENT_SENT', { businessName: 'Lucky Noodles', amountMinor: '8850', currency: 'HKD' }, 'You paid HK$88.50 to Lucky Noodles.', '你已向 Lucky Noodles 付款 HK$88.50。'],
    ['REFUND_RECEIVED', { businessName: 'Lucky Noodles', amountMinor: '2000', currency: 'HKD' }, 'Lucky Noodles refunded you HK$20.00.', 'Lucky Noodles 已向你退款 HK$20.00。'],
    ['REFUND_SENT', { businessName: 'Lucky Noodles', amountMinor: '2000', currency: 'HKD' }, 'You refunded HK$20.00 to a customer of Lucky Noodles.', '你已代 Lucky Noodles 向顧客退款 HK$20.00。'],
    ['TRANSFER_SENT', { recipientDisplayName: 'Wong Ka Yan', amountMinor: '10000', currency: 'HKD' }, 'You sent HK$100.00 to Wong Ka Yan.', '你已向 Wong Ka Yan 轉賬 HK$100.00。'],
    ['TRANSFER_RECEIVED', { senderDisplayName: 'Chan Siu Ming', amountMinor: '10000', currency: 'HKD', message: 'Dinner' }, 'Chan Siu Ming sent you HK$100.00. Message: Dinner', 'Chan Siu Ming 已向你轉賬 HK$100.00。留言：Dinner'],
    ['TRANSFER_RECEIVED', { senderDisplayName: 'Chan Siu Ming', amountMinor: '10000', currency: 'HKD', message: null }, 'Chan Siu Ming sent you HK$100.00.', 'Chan Siu Ming 已向你轉賬 HK$100.00。'],
    ['WALLET_TOPPED_UP', { amountMinor: '50000', balanceMinor: '123450', currency: 'HKD' }, 'HK$500.00 was added to your wallet. Your balance is HK$1,234.50.', '你的錢包已增值 HK$500.00，結餘為 HK$1,234.50。'],
    ['FRIEND_ADDED', { friendDisplayName: 'Wong Ka Yan' }, 'You and Wong Ka Yan are now friends.', '你和 Wong Ka Yan 已成為朋友。'],
  ];

  test.each(cases)('%s renders in both languages', (kind, params, en, zh) => {
    expect(renderNotification(kind, params, 'en').body).toBe(en);
    expect(renderNotification(kind, params, 'zh-HK').body).toBe(zh);
    expect(renderNotification(kind, params, 'en').title).not.toBe('Notification');
    expect(renderNotification(kind, params, 'zh-HK').title).not.toBe('通知');
  });

  const destination = { bankCode: '004', bankName: 'HSBC', accountNumberLast4: '1234' };
  const payout = { payoutId: 'pyt_1', businessId: 'biz_1', businessName: 'Lucky Noodles', amountMinor: '123450', currency: 'HKD', trigger: 'AUTOMATIC', ...destination };
  // 2026-11-23T01:02Z is 09:02 in Hong Kong; 2026-12-31T16:30Z is already 1 January there.
  const accountChanged = { businessId: 'biz_1', businessName: 'Lucky Noodles', changedByUserId: 'usr_1', ...destination, holdUntil: '2026-11-23T01:02:03.456Z' };

  const payoutCases: Array<[string, Record<string, unknown>, { title: string; body: string }, { title: string; body: string }]> = [
    [
      'PAYOUT_ACCOUNT_CHANGED',
      accountChanged,
      {
        title: 'Payout account changed',
        body: 'Payouts of Lucky Noodles now go to HSBC, account ending 1234. None goes out before 23 Nov 2026, 09:02 (Hong Kong time). If you did not expect this change, check the payout account now.',
      },
      { title: '收款戶口已更改', body: 'Lucky Noodles 的款項現會存入 HSBC 尾號 1234 的戶口，2026年11月23日 09:02（香港時間）前不會發放。如非預期的更改，請立即查看收款戶口。' },
    ],
    [
      'PAYOUT_ACCOUNT_CHANGED',
      { ...accountChanged, holdUntil: '2026-12-31T16:30:00.000Z' },
      {
        title: 'Payout account changed',
        body: 'Payouts of Lucky Noodles now go to HSBC, account ending 1234. None goes out before 1 Jan 2027, 00:30 (Hong Kong time). If you did not expect this change, check the payout account now.',
      },
      { title: '收款戶口已更改', body: 'Lucky Noodles 的款項現會存入 HSBC 尾號 1234 的戶口，2027年1月1日 00:30（香港時間）前不會發放。如非預期的更改，請立即查看收款戶口。' },
    ],
    [
      'PAYOUT_PAID',
      payout,
      { title: 'Payout paid', body: 'HK$1,234.50 from Lucky Noodles was paid into HSBC, account ending 1234.' },
      { title: '款項已存入', body: 'Lucky Noodles 的 HK$1,234.50 已存入 HSBC 尾號 1234 的戶口。' },
    ],
    [
      'PAYOUT_FAILED',
      { ...payout, amountMinor: '5000', failureCode: 'ACCOUNT_CLOSED' },
      { title: 'Payout failed', body: 'The payout of HK$50.00 from Lucky Noodles to HSBC, account ending 1234, failed: the account is closed. The money is back in the available balance.' },
      { title: '款項存入失敗', body: 'Lucky Noodles 存入 HSBC 尾號 1234 戶口的 HK$50.00 未能完成：戶口已關閉。款項已退回可用結餘。' },
    ],
    [
      'PAYOUT_FAILED',
      { ...payout, amountMinor: '5000', failureCode: 'NAME_MISMATCH' },
      { title: 'Payout failed', body: 'The payout of HK$50.00 from Lucky Noodles to HSBC, account ending 1234, failed: the account name does not match the business. The money is back in the available balance.' },
      { title: '款項存入失敗', body: 'Lucky Noodles 存入 HSBC 尾號 1234 戶口的 HK$50.00 未能完成：戶口名稱與商戶不符。款項已退回可用結餘。' },
    ],
    [
      'PAYOUT_FAILED',
      { ...payout, amountMinor: '5000', failureCode: 'BANK_HOLIDAY_X9' },
      { title: 'Payout failed', body: 'The payout of HK$50.00 from Lucky Noodles to HSBC, account ending 1234, failed: BANK_HOLIDAY_X9. The money is back in the available balance.' },
      { title: '款項存入失敗', body: 'Lucky Noodles 存入 HSBC 尾號 1234 戶口的 HK$50.00 未能完成：BANK_HOLIDAY_X9。款項已退回可用結餘。' },
    ],
  ];

  test.each(payoutCases)('%s renders its title and body in both languages', (kind, params, en, zh) => {
    expect(renderNotification(kind, params, 'en')).toEqual(en);
    expect(renderNotification(kind, params, 'zh-HK')).toEqual(zh);
  });

  test('a payout notification shows the bank and the last four digits, and falls back to the generic text without them', () => {
    for (const [kind, params] of payoutCases) {
      for (const language of ['en', 'zh-HK'] as const) {
        const { body } = renderNotification(kind, params, language);
        expect(body).toContain('HSBC');
        expect(body).toContain('1234');
        expect(body).not.toMatch(/[0-9]{5,}/);
        expect(renderNotification(kind, { ...params, accountNumberLast4: undefined }, language).title).toBe(language === 'en' ? 'Notification' : '通知');
      }
    }
    expect(renderNotification('PAYOUT_ACCOUNT_CHANGED', { ...accountChanged, holdUntil: 'tomorrow' }, 'en').title).toBe('Notification');
    expect(renderNotification('PAYOUT_FAILED', { ...payout, failureCode: 'toString' }, 'en').body).toContain('failed: toString.');
  });

  // 2026-10-31T16:00Z is 1 November, 00:00 in Hong Kong.
  const statement = { statementId: 'stm_1', businessId: 'biz_1', businessName: 'Lucky Noodles', format: 'CSV', from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z', rowCount: 1234 };

  const statementCases: Array<[string, Record<string, unknown>, { title: string; body: string }, { title: string; body: string }]> = [
    [
      'STATEMENT_READY',
      statement,
      { title: 'Statement ready', body: 'Your CSV statement of Lucky Noodles for 1 Nov 2026, 00:00 – 1 Dec 2026, 00:00 (Hong Kong time) is ready: 1,234 rows.' },
      { title: '結單已備妥', body: '你的 Lucky Noodles CSV 結單（2026年11月1日 00:00 至 2026年12月1日 00:00，香港時間）已備妥，共 1,234 行。' },
    ],
    [
      'STATEMENT_READY',
      { ...statement, format: 'PDF', from: '2026-12-31T16:00:00.000Z', to: '2027-01-01T04:30:00.000Z', rowCount: 1 },
      { title: 'Statement ready', body: 'Your PDF statement of Lucky Noodles for 1 Jan 2027, 00:00 – 1 Jan 2027, 12:30 (Hong Kong time) is ready: 1 row.' },
      { title: '結單已備妥', body: '你的 Lucky Noodles PDF 結單（2027年1月1日 00:00 至 2027年1月1日 12:30，香港時間）已備妥，共 1 行。' },
    ],
    [
      'STATEMENT_READY',
      { ...statement, rowCount: 1_000_000 },
      { title: 'Statement ready', body: 'Your CSV statement of Lucky Noodles for 1 Nov 2026, 00:00 – 1 Dec 2026, 00:00 (Hong Kong time) is ready: 1,000,000 rows.' },
      { title: '結單已備妥', body: '你的 Lucky Noodles CSV 結單（2026年11月1日 00:00 至 2026年12月1日 00:00，香港時間）已備妥，共 1,000,000 行。' },
    ],
    [
      'STATEMENT_READY',
      { ...statement, rowCount: 0 },
      { title: 'Statement ready', body: 'Your CSV statement of Lucky Noodles for 1 Nov 2026, 00:00 – 1 Dec 2026, 00:00 (Hong Kong time) is ready: 0 rows.' },
      { title: '結單已備妥', body: '你的 Lucky Noodles CSV 結單（2026年11月1日 00:00 至 2026年12月1日 00:00，香港時間）已備妥，共 0 行。' },
    ],
  ];

  test.each(statementCases)('%s renders its title and body in both languages', (kind, params, en, zh) => {
    expect(renderNotification(kind, params, 'en')).toEqual(en);
    expect(renderNotification(kind, params, 'zh-HK')).toEqual(zh);
  });

  test('a statement notification with parameters it cannot read falls back to the generic text', () => {
    for (const broken of [{ rowCount: '1234' }, { rowCount: -1 }, { rowCount: 1.5 }, { rowCount: undefined }, { from: 'last month' }, { to: undefined }, { businessName: '' }]) {
      expect(renderNotification('STATEMENT_READY', { ...statement, ...broken }, 'en')).toEqual({ title: 'Notification', body: 'You have a new notification.' });
      expect(renderNotification('STATEMENT_READY', { ...statement, ...broken }, 'zh-HK')).toEqual({ title: '通知', body: '你有一則新通知。' });
    }
  });

  test('every kind this build knows is in the SDL enum, described, and the other way round', () => {
    const sdl = parse(readFileSync(join(__dirname, '../../schema.graphql'), 'utf8'));
    const kindEnum = sdl.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'NotificationKind');
    expect(kindEnum?.values?.map((value) => value.name.value)).toEqual([...NOTIFICATION_KINDS]);
    expect(kindEnum?.values?.every((value) => (value.description?.value.length ?? 0) > 0)).toBe(true);
  });

  test('an unknown kind, or parameters it cannot read, render a generic text instead of failing', () => {
    const generic = { en: { title: 'Notification', body: 'You have a new notification.' }, zh: { title: '通知', body: '你有一則新通知。' } };
    expect(renderNotification('LOYALTY_POINTS_EARNED', { points: 5 }, 'en')).toEqual(generic.en);
    expect(renderNotification('LOYALTY_POINTS_EARNED', { points: 5 }, 'zh-HK')).toEqual(generic.zh);
    expect(renderNotification('toString', {}, 'en')).toEqual(generic.en);
    expect(renderNotification('PAYMENT_RECEIVED', { ...received, payerDisplayName: undefined }, 'en')).toEqual(generic.en);
    expect(renderNotification('PAYMENT_RECEIVED', { ...received, amountMinor: 88.5 }, 'en')).toEqual(generic.en);
    expect(renderNotification('PAYMENT_RECEIVED', null, 'zh-HK')).toEqual(generic.zh);
    expect(renderNotification('PAYMENT_RECEIVED', ['x'], 'en')).toEqual(generic.en);
  });
});
