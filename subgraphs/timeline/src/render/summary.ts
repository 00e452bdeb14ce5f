/**
 * Timeline entries are stored as a kind plus parameters and rendered here,
 * when read, in the caller's language. Stored parameters are treated as
 * untrusted: a kind this build does not know, or parameters it cannot read,
 * render a generic line instead of failing the query.
 */
import type { Language } from '@harbour/server';
import { isKnownKind, type TimelineEntryKind } from '../entries/kinds';
import { formatMoney } from '@harbour/money';

class UnreadableParams extends Error {}

/** Reads stored params; any missing or mistyped value throws UnreadableParams. */
class Params {
  private readonly values: Record<string, unknown>;

  constructor(raw: unknown) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UnreadableParams();
    this.values = raw as Record<string, unknown>;
  }

  text(name: string): string {
    const value = this.values[name];
    if (typeof value !== 'string' || value.length === 0) throw new UnreadableParams();
    return value;
  }

  /** The entry's amount, formatted ("HK$88.50"). */
  money(): string {
    try {
      return formatMoney(this.text('amountMinor'), this.text('currency'));
    } catch {
      throw new UnreadableParams();
    }
  }
}

type Template = (p: Params) => string;

const TEMPLATES: Record<Language, Record<TimelineEntryKind, Template>> = {
  en: {
    PAYMENT_SENT: (p) => `You paid ${p.money()} to ${p.text('businessName')}`,
    PAYMENT_RECEIVED: (p) => `${p.text('payerName')} paid ${p.money()} to ${p.text('businessName')}`,
    REFUND_SENT: (p) => `You refunded ${p.money()} for ${p.text('businessName')}`,
    REFUND_RECEIVED: (p) => `${p.text('businessName')} refunded you ${p.money()}`,
    TRANSFER_SENT: (p) => `You sent ${p.money()} to ${p.text('counterpartyName')}`,
    TRANSFER_RECEIVED: (p) => `${p.text('counterpartyName')} sent you ${p.money()}`,
    WALLET_TOPPED_UP: (p) => `You topped up your wallet with ${p.money()}`,
    FRIEND_ADDED: (p) => `You and ${p.text('friendName')} are now friends`,
  },
  'zh-HK': {
    PAYMENT_SENT: (p) => `你向 ${p.text('businessName')} 付款 ${p.money()}`,
    PAYMENT_RECEIVED: (p) => `${p.text('payerName')} 向 ${p.text('businessName')} 付款 ${p.money()}`,
    REFUND_SENT: (p) => `你代 ${p.text('businessName')} 退款 ${p.money()}`,
    REFUND_RECEIVED: (p) => `${p.text('businessName')} 向你退款 ${p.money()}`,
    TRANSFER_SENT: (p) => `你向 ${p.text('counterpartyName')} 轉賬 ${p.money()}`,
    TRANSFER_RECEIVED: (p) => `${p.text('counterpartyName')} 向你轉賬 ${p.money()}`,
    WALLET_TOPPED_UP: (p) => `你為錢包增值 ${p.money()}`,
    FRIEND_ADDED: (p) => `你和 ${p.text('friendName')} 已成為朋友`,
  },
};

/** What an entry of an unknown kind, or with unreadable parameters, says. */
export const GENERIC_SUMMARY: Record<Language, string> = {
  en: 'There was activity on your account',
  'zh-HK': '你的帳戶有新動態',
};

/** The summary line of an entry in `language` ('en' for anything else). Never throws. */
export function renderSummary(kind: string, params: unknown, language: Language): string {
  const templates = TEMPLATES[language] ?? TEMPLATES.en;
  const generic = GENERIC_SUMMARY[language] ?? GENERIC_SUMMARY.en;
  if (!isKnownKind(kind)) return generic;
  try {
    return templates[kind](new Params(params));
  } catch {
    // UnreadableParams: stored by an older or newer build, or damaged. A line of the timeline is not worth an error.
    return generic;
  }
}
