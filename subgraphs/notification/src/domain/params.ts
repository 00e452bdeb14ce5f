/**
 * The parameters stored with each kind of notification: what the event said,
 * as it was then (names and amounts are snapshots, see service-boundaries.md).
 * Text is made from them when read (render.ts), never stored.
 */
interface Amount {
  /** Integer minor units, as a string ("8850" is 88.50). */
  amountMinor: string;
  /** ISO 4217, e.g. HKD. */
  currency: string;
}

export interface PaymentSentParams extends Amount {
  paymentId: string;
  businessId: string;
  businessName: string;
  reference: string | null;
}

export interface PaymentReceivedParams extends Amount {
  paymentId: string;
  businessId: string;
  businessName: string;
  payerUserId: string;
  payerDisplayName: string;
  reference: string | null;
}

export interface RefundReceivedParams extends Amount {
  refundId: string;
  paymentId: string;
  businessId: string;
  businessName: string;
  reason: string | null;
}

export interface RefundSentParams extends Amount {
  refundId: string;
  paymentId: string;
  businessId: string;
  businessName: string;
  payerUserId: string;
  reason: string | null;
}

export interface TransferSentParams extends Amount {
  transferId: string;
  recipientUserId: string;
  recipientDisplayName: string;
  message: string | null;
}

export interface TransferReceivedParams extends Amount {
  transferId: string;
  senderUserId: string;
  senderDisplayName: string;
  message: string | null;
}

export interface WalletToppedUpParams extends Amount {
  topUpId: string;
  /** The wallet's balance right after the top-up. */
  balanceMinor: string;
}

export interface FriendAddedParams {
  friendshipId: string;
  friendUserId: string;
  friendDisplayName: string;
}

export interface BusinessMemberAddedParams {
  businessId: string;
  businessName: string;
  /** OWNER, MANAGER or CASHIER. */
  role: string;
  addedByUserId: string;
}

/**
 * Where a business's payouts go, as the event named it: the bank and the last
 * four digits only. The full account number never leaves the payment subgraph.
 */
interface PayoutDestination {
  /** The bank's three-digit Hong Kong clearing code, e.g. 004. */
  bankCode: string;
  bankName: string;
  accountNumberLast4: string;
}

/** Told to every OWNER of the business (money-out.md, Payout account). */
export interface PayoutAccountChangedParams extends PayoutDestination {
  businessId: string;
  businessName: string;
  changedByUserId: string;
  /** ISO 8601 UTC: payouts wait until then (the fraud window). */
  holdUntil: string;
}

interface PayoutParams extends Amount, PayoutDestination {
  payoutId: string;
  businessId: string;
  businessName: string;
  /** AUTOMATIC or MANUAL. */
  trigger: string;
}

/** Told to every OWNER of the business: the money reached its bank account. */
export type PayoutPaidParams = PayoutParams;

/** Told to every OWNER of the business: the bank refused the payout; its money is back in the available balance. */
export interface PayoutFailedParams extends PayoutParams {
  /** As the bank answered, e.g. ACCOUNT_CLOSED (render.ts words the known ones). */
  failureCode: string;
}

/** Told to the member who asked for the statement: its file can be downloaded (`statement(id)` signs the URL). */
export interface StatementReadyParams {
  statementId: string;
  businessId: string;
  businessName: string;
  /** CSV or PDF. */
  format: string;
  /** ISO 8601 UTC: the statement covers [from, to). */
  from: string;
  to: string;
  /** How many ledger movements (rows) the statement holds. */
  rowCount: number;
}

/** Told to every OWNER of the business: the endpoint receives no more webhooks until an OWNER enables it again (partners.md). */
export interface WebhookEndpointDisabledParams {
  endpointId: string;
  businessId: string;
  url: string;
  /** GONE (it answered HTTP 410) or FAILING (every delivery failed for 5 days). */
  reason: string;
}

/** console.md: staff froze or unfroze the user's wallet (no reason is shown: it is staff's, in the audit log). */
export interface WalletFreezeParams {
  frozen: boolean;
}

/** console.md: staff froze or unfroze a business the user owns; told to every OWNER. */
export interface BusinessFreezeParams {
  businessId: string;
  businessName: string;
  frozen: boolean;
}

export interface ParamsByKind {
  PAYMENT_SENT: PaymentSentParams;
  PAYMENT_RECEIVED: PaymentReceivedParams;
  REFUND_SENT: RefundSentParams;
  REFUND_RECEIVED: RefundReceivedParams;
  TRANSFER_SENT: TransferSentParams;
  TRANSFER_RECEIVED: TransferReceivedParams;
  WALLET_TOPPED_UP: WalletToppedUpParams;
  FRIEND_ADDED: FriendAddedParams;
  BUSINESS_MEMBER_ADDED: BusinessMemberAddedParams;
  PAYOUT_ACCOUNT_CHANGED: PayoutAccountChangedParams;
  PAYOUT_PAID: PayoutPaidParams;
  PAYOUT_FAILED: PayoutFailedParams;
  STATEMENT_READY: StatementReadyParams;
  WEBHOOK_ENDPOINT_DISABLED: WebhookEndpointDisabledParams;
  WALLET_FROZEN: WalletFreezeParams;
  WALLET_UNFROZEN: WalletFreezeParams;
  BUSINESS_FROZEN: BusinessFreezeParams;
  BUSINESS_UNFROZEN: BusinessFreezeParams;
}
