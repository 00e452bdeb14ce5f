import { z } from 'zod';
import { blobStoreFromEnv, type BlobStore } from '@harbour/blob';
import { commonConfig, internalUrl, positiveInt, readVar, type CommonConfig } from '@harbour/config';
import { parseDecimal } from '@harbour/server';
import { MAX_FEE_RATE_BPS } from './fees/rules';
import { accountNumberKeyring, type AccountNumberKeyring } from './payouts/account-number-crypto';

type Env = Record<string, string | undefined>;

export interface PaymentConfig extends CommonConfig {
  /** The largest amount one payment, transfer or top-up may move, in minor units (default HK$50,000.00). */
  paymentLimitMinor: bigint;
  /** The fee a business pays on every payment, in basis points, unless staff set its own (money-out.md). */
  merchantFeeBps: number;
  /** How long payouts wait after the payout account is set or changed (the fraud window), in ms. */
  payoutHoldMs: number;
  /** The least an automatic payout pays, in minor units (default HK$1.00). */
  payoutMinimumMinor: bigint;
  /** The time of day in Hong Kong the daily payout run takes as its cutoff, minutes after midnight (default 22:00). */
  payoutCutoffMinutes: number;
  /** PAYOUT_ACCOUNT_KEYS: encrypts payout account numbers at rest (payouts/account-number-crypto.ts). */
  accountNumbers: AccountNumberKeyring;
  /** Balance shards of a business account: concurrent credits spread over this many rows. */
  businessShards: number;
  /** Balance shards of system accounts (the external funding account). */
  systemShards: number;
  /** Base URLs of the internal paths of the business and user subgraphs. */
  businessInternalUrl: string;
  userInternalUrl: string;
  /** How often pending requests past their expiry are marked EXPIRED. */
  expirySweepMs: number;
  /**
   * Longest a caller's role in a business is remembered for the read paths
   * (0: asked every time). Changes evict it at once through the business
   * subgraph's events; this bounds it when they are late.
   */
  membershipCacheMs: number;
  /** Where customers open payment links: a link's `url` is this + `/pay/` + its id (no trailing slash). */
  publicBaseUrl: string;
  /**
   * The Blob container of money out's files (MONEY_OUT_BLOB_CONTAINER in the
   * account of AZURE_STORAGE_CONNECTION_STRING): the bank's batch files under
   * `payouts/`, statements under `statements/`.
   */
  moneyOutFiles: BlobStore;
  /** How long a statement's download URL is valid (STATEMENT_URL_TTL_SECONDS); each read of `statement` signs a fresh one. */
  statementUrlTtlSeconds: number;
}

/** `HH:MM` (24-hour) → minutes after midnight. */
const hourMinutes = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM, 24-hour')
  .transform((hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));

/** Azure's rule for container names: 3-63 of lower-case letters, digits and single dashes, starting and ending with a letter or digit. */
const blobContainerName = z.string().regex(/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/, '3-63 lower-case letters, digits and single dashes');

export function paymentConfig(env: Env = process.env): PaymentConfig {
  const common = commonConfig(env);
  return {
    ...common,
    accountNumbers: accountNumberKeyring(env, common.mode),
    paymentLimitMinor: parseDecimal(readVar(env, 'PAYMENT_LIMIT', z.string(), '50000.00')),
    merchantFeeBps: readVar(env, 'MERCHANT_FEE_BPS', z.coerce.number().int().min(0).max(MAX_FEE_RATE_BPS), 120),
    payoutHoldMs: readVar(env, 'PAYOUT_HOLD_HOURS', z.coerce.number().min(0).max(24 * 30), 24) * 3_600_000,
    payoutMinimumMinor: parseDecimal(readVar(env, 'PAYOUT_MINIMUM', z.string(), '1.00')),
    payoutCutoffMinutes: readVar(env, 'PAYOUT_CUTOFF', hourMinutes, 22 * 60),
    businessShards: readVar(env, 'PAYMENT_BUSINESS_SHARDS', positiveInt, 16),
    systemShards: readVar(env, 'PAYMENT_SYSTEM_SHARDS', positiveInt, 16),
    businessInternalUrl: internalUrl('business', 'BUSINESS_INTERNAL_URL', env),
    userInternalUrl: internalUrl('user', 'USER_INTERNAL_URL', env),
    expirySweepMs: readVar(env, 'PAYMENT_EXPIRY_SWEEP_MS', positiveInt, 5_000),
    publicBaseUrl: readVar(env, 'PUBLIC_BASE_URL', z.url({ protocol: /^https?$/ }), 'http://localhost:4000').replace(/\/+$/, ''),
    moneyOutFiles: blobStoreFromEnv(env, readVar(env, 'MONEY_OUT_BLOB_CONTAINER', blobContainerName, 'harbour-money-out')),
    statementUrlTtlSeconds: readVar(env, 'STATEMENT_URL_TTL_SECONDS', z.coerce.number().int().min(60).max(7 * 24 * 3600), 900),
    membershipCacheMs: readVar(env, 'PAYMENT_MEMBERSHIP_CACHE_SECONDS', z.coerce.number().int().min(0).max(3600), 30) * 1000,
  };
}
