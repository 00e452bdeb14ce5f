/**
 * Notification text, made when read in the reader's language from the kind
 * and the parameters stored with it. Rendering never fails: a kind this
 * renderer does not know, or parameters it cannot read (say, written by a
 * newer build), give a generic title and body.
 */
import type { Language } from '@harbour/server';
import { tryFormatMoney as formatMoney } from '@harbour/money';
import type { ParamsByKind } from './params';

export interface RenderedText {
  title: string;
  body: string;
}

type Texts = Record<Language, RenderedText>;

/**
 * Reads the stored parameters of one kind (keys checked against params.ts);
 * throws Unreadable when one that the text needs is missing or malformed.
 */
class Params<P> {
  constructor(private readonly values: Record<string, unknown>) {}

  text(key: keyof P & string): string {
    const value = this.values[key];
    if (typeof value !== 'string' || value.length === 0) throw new Unreadable(key);
    return value;
  }

  optionalText(key: keyof P & string): string | null {
    const value = this.values[key];
    return typeof value === 'string' && value.length > 0 ? value : null;
  }

  /** An amount in minor units, in the parameters' `currency`. */
  money(amountKey: keyof P & string): string {
    const currency = this.values.currency;
    if (typeof currency !== 'string') throw new Unreadable('currency');
    const formatted = formatMoney(this.text(amountKey), currency);
    if (formatted === null) throw new Unreadable(amountKey);
    return formatted;
  }

  /** A count: a non-negative whole number. */
  count(key: keyof P & string): number {
    const value = this.values[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Unreadable(key);
    return value;
  }

  /** An ISO 8601 instant, as a Date. */
  instant(key: keyof P & string): Date {
    const date = new Date(this.text(key));
    if (Number.isNaN(date.getTime())) throw new Unreadable(key);
    return date;
  }
}

class Unreadable extends Error {
  constructor(key: string) {
    super(`parameter ${key} is missing or malformed`);
  }
}

/** Hong Kong keeps UTC+8 all year (no daylight saving since 1979). */
const HONG_KONG_OFFSET_MS = 8 * 3_600_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An instant as Hong Kong's wall clock, to the minute: "23 Nov 2026, 09:02" / "2026年11月23日 09:02" (made by hand, so the text never depends on the ICU data). */
function hongKongTime(instant: Date): Record<Language, string> {
  const local = new Date(instant.getTime() + HONG_KONG_OFFSET_MS);
  const [year, month, day] = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()];
  const time = `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
  return { en: `${day} ${MONTHS[month]} ${year}, ${time}`, 'zh-HK': `${year}年${month + 1}月${day}日 ${time}` };
}

/** A count with thousands separators, "1,234" in both languages (by hand, like the times). */
const formatCount = (count: number): string => String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Why the bank refused a payout, in words (the codes rules.ts of the payment subgraph knows); any other code is shown as the bank said it. */
const PAYOUT_FAILURES = new Map<string, Record<Language, string>>([
  ['ACCOUNT_CLOSED', { en: 'the account is closed', 'zh-HK': '戶口已關閉' }],
  ['ACCOUNT_NOT_FOUND', { en: 'there is no such account', 'zh-HK': '戶口不存在' }],
  ['NAME_MISMATCH', { en: 'the account name does not match the business', 'zh-HK': '戶口名稱與商戶不符' }],
  ['REJECTED', { en: 'the bank rejected it', 'zh-HK': '銀行拒絕了這筆款項' }],
]);

const failureReason = (code: string): Record<Language, string> => PAYOUT_FAILURES.get(code) ?? { en: code, 'zh-HK': code };

type Kind = keyof ParamsByKind;

const RENDERERS: { [K in Kind]: (params: Params<ParamsByKind[K]>) => Texts } = {
  PAYMENT_SENT: (p) => {
    const [amount, business] = [p.money('amountMinor'), p.text('businessName')];
    return {
      en: { title: 'Payment sent', body: `You paid ${amount} to ${business}.` },
      'zh-HK': { title: '已付款', body: `你已向 ${business} 付款 ${amount}。` },
    };
  },
  PAYMENT_RECEIVED: (p) => {
    const [amount, business, payer] = [p.money('amountMinor'), p.text('businessName'), p.text('payerDisplayName')];
    return {
      en: { title: 'Payment received', body: `${payer} paid you ${amount} at ${business}.` },
      'zh-HK': { title: '已收款', body: `${payer} 已在 ${business} 向你付款 ${amount}。` },
    };
  },
  REFUND_RECEIVED: (p) => {
    const [amount, business] = [p.money('amountMinor'), p.text('businessName')];
    return {
      en: { title: 'Refund received', body: `${business} refunded you ${amount}.` },
      'zh-HK': { title: '已收到退款', body: `${business} 已向你退款 ${amount}。` },
    };
  },
  REFUND_SENT: (p) => {
    const [amount, business] = [p.money('amountMinor'), p.text('businessName')];
    return {
      en: { title: 'Refund sent', body: `You refunded ${amount} to a customer of ${business}.` },
      'zh-HK': { title: '已退款', body: `你已代 ${business} 向顧客退款 ${amount}。` },
    };
  },
  TRANSFER_SENT: (p) => {
    const [amount, recipient] = [p.money('amountMinor'), p.text('recipientDisplayName')];
    return {
      en: { title: 'Money sent', body: `You sent ${amount} to ${recipient}.` },
      'zh-HK': { title: '已轉賬', body: `你已向 ${recipient} 轉賬 ${amount}。` },
    };
  },
  TRANSFER_RECEIVED: (p) => {
    const [amount, sender, message] = [p.money('amountMinor'), p.text('senderDisplayName'), p.optionalText('message')];
    return {
      en: { title: 'Money received', body: `${sender} sent you ${amount}.${message ? ` Message: ${message}` : ''}` },
      'zh-HK': { title: '已收到轉賬', body: `${sender} 已向你轉賬 ${amount}。${message ? `留言：${message}` : ''}` },
    };
  },
  WALLET_TOPPED_UP: (p) => {
    const [amount, balance] = [p.money('amountMinor'), p.money('balanceMinor')];
    return {
      en: { title: 'Wallet topped up', body: `${amount} was added to your wallet. Your balance is ${balance}.` },
      'zh-HK': { title: '已增值', body: `你的錢包已增值 ${amount}，結餘為 ${balance}。` },
    };
  },
  FRIEND_ADDED: (p) => {
    const friend = p.text('friendDisplayName');
    return {
      en: { title: 'New friend', body: `You and ${friend} are now friends.` },
      'zh-HK': { title: '新朋友', body: `你和 ${friend} 已成為朋友。` },
    };
  },
  BUSINESS_MEMBER_ADDED: (p) => {
    const business = p.text('businessName');
    const role = p.text('role');
    const roles: Record<string, { en: string; 'zh-HK': string }> = {
      OWNER: { en: 'an owner', 'zh-HK': '東主' },
      MANAGER: { en: 'a manager', 'zh-HK': '經理' },
      CASHIER: { en: 'a cashier', 'zh-HK': '收銀員' },
    };
    const as = roles[role] ?? { en: role, 'zh-HK': role };
    return {
      en: { title: 'Added to a business', body: `You were added to ${business} as ${as.en}.` },
      'zh-HK': { title: '已加入商戶', body: `你已以${as['zh-HK']}身份加入 ${business}。` },
    };
  },
  PAYOUT_ACCOUNT_CHANGED: (p) => {
    const [business, bank, last4, hold] = [p.text('businessName'), p.text('bankName'), p.text('accountNumberLast4'), hongKongTime(p.instant('holdUntil'))];
    return {
      en: {
        title: 'Payout account changed',
        body: `Payouts of ${business} now go to ${bank}, account ending ${last4}. None goes out before ${hold.en} (Hong Kong time). If you did not expect this change, check the payout account now.`,
      },
      'zh-HK': {
        title: '收款戶口已更改',
        body: `${business} 的款項現會存入 ${bank} 尾號 ${last4} 的戶口，${hold['zh-HK']}（香港時間）前不會發放。如非預期的更改，請立即查看收款戶口。`,
      },
    };
  },
  PAYOUT_PAID: (p) => {
    const [amount, business, bank, last4] = [p.money('amountMinor'), p.text('businessName'), p.text('bankName'), p.text('accountNumberLast4')];
    return {
      en: { title: 'Payout paid', body: `${amount} from ${business} was paid into ${bank}, account ending ${last4}.` },
      'zh-HK': { title: '款項已存入', body: `${business} 的 ${amount} 已存入 ${bank} 尾號 ${last4} 的戶口。` },
    };
  },
  PAYOUT_FAILED: (p) => {
    const [amount, business, bank, last4] = [p.money('amountMinor'), p.text('businessName'), p.text('bankName'), p.text('accountNumberLast4')];
    const reason = failureReason(p.text('failureCode'));
    return {
      en: {
        title: 'Payout failed',
        body: `The payout of ${amount} from ${business} to ${bank}, account ending ${last4}, failed: ${reason.en}. The money is back in the available balance.`,
      },
      'zh-HK': { title: '款項存入失敗', body: `${business} 存入 ${bank} 尾號 ${last4} 戶口的 ${amount} 未能完成：${reason['zh-HK']}。款項已退回可用結餘。` },
    };
  },
  STATEMENT_READY: (p) => {
    const [business, format, from, to, rowCount] = [p.text('businessName'), p.text('format'), hongKongTime(p.instant('from')), hongKongTime(p.instant('to')), p.count('rowCount')];
    const rows = formatCount(rowCount);
    return {
      en: {
        title: 'Statement ready',
        body: `Your ${format} statement of ${business} for ${from.en} – ${to.en} (Hong Kong time) is ready: ${rows} ${rowCount === 1 ? 'row' : 'rows'}.`,
      },
      'zh-HK': { title: '結單已備妥', body: `你的 ${business} ${format} 結單（${from['zh-HK']} 至 ${to['zh-HK']}，香港時間）已備妥，共 ${rows} 行。` },
    };
  },
  WEBHOOK_ENDPOINT_DISABLED: (p) => {
    const url = p.text('url');
    const gone = p.text('reason') === 'GONE';
    return {
      en: {
        title: 'Webhook endpoint disabled',
        body: `Webhooks to ${url} were stopped: ${gone ? 'it answered that it is gone (HTTP 410)' : 'every delivery failed for 5 days'}. Fix the receiver, then enable the endpoint again.`,
      },
      'zh-HK': {
        title: 'Webhook 端點已停用',
        body: `已停止向 ${url} 發送 Webhook：${gone ? '該端點回覆已不存在（HTTP 410）' : '連續 5 日所有發送均失敗'}。請修正接收端後重新啟用端點。`,
      },
    };
  },
  WALLET_FROZEN: () => ({
    en: { title: 'Your wallet is frozen', body: 'No money can leave your wallet for now; money can still come in. Please contact Harbour support.' },
    'zh-HK': { title: '你的錢包已被凍結', body: '你的錢包暫時無法轉出款項，但仍可收款。請聯絡 Harbour 客戶服務。' },
  }),
  WALLET_UNFROZEN: () => ({
    en: { title: 'Your wallet is unfrozen', body: 'You can pay and send money again.' },
    'zh-HK': { title: '你的錢包已解除凍結', body: '你現在可以再次付款及轉賬。' },
  }),
  BUSINESS_FROZEN: (p) => {
    const name = p.text('businessName');
    return {
      en: { title: `${name} is frozen`, body: `${name} cannot take payments or pay out for now. Please contact Harbour support.` },
      'zh-HK': { title: `${name} 已被凍結`, body: `${name} 暫時無法收款或提取款項。請聯絡 Harbour 客戶服務。` },
    };
  },
  BUSINESS_UNFROZEN: (p) => {
    const name = p.text('businessName');
    return {
      en: { title: `${name} is unfrozen`, body: `${name} can take payments and pay out again.` },
      'zh-HK': { title: `${name} 已解除凍結`, body: `${name} 現在可以再次收款及提取款項。` },
    };
  },
};

const GENERIC: Texts = {
  en: { title: 'Notification', body: 'You have a new notification.' },
  'zh-HK': { title: '通知', body: '你有一則新通知。' },
};

/** The title and body of a notification of `kind` with `params`, in `language`. */
export function renderNotification(kind: string, params: unknown, language: Language): RenderedText {
  const render = Object.hasOwn(RENDERERS, kind) ? (RENDERERS[kind as Kind] as (params: Params<unknown>) => Texts) : undefined;
  const texts = (render && isRecord(params) && tryRender(render, params)) || GENERIC;
  return texts[language] ?? texts.en;
}

function tryRender(render: (params: Params<unknown>) => Texts, params: Record<string, unknown>): Texts | null {
  try {
    return render(new Params(params));
  } catch (error) {
    if (error instanceof Unreadable) return null;
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
