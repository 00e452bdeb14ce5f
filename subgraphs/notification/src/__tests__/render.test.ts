import { tryFormatMoney as formatMoney } from '@harbour/money';
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
