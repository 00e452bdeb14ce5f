/** What the API side of webhooks reads from the environment, once, at start. */
import { z } from 'zod';
import { readVar, type Mode } from '@harbour/config';
import { webhookSecretKeyring, type WebhookSecretKeyring } from './secret-crypto';
import type { LookupFn } from './transport';

type Env = Record<string, string | undefined>;

export interface WebhookApiConfig {
  /** HARBOUR_MODE: sandbox accepts any http(s) URL; production only https to public addresses. */
  mode: Mode;
  /** WEBHOOK_SECRET_KEYS: encrypts endpoint secrets at rest. */
  secrets: WebhookSecretKeyring;
  /** How host names are resolved when a URL is checked (tests only; the system's resolver otherwise). */
  lookup?: LookupFn;
}

export function webhookApiConfig(env: Env = process.env): WebhookApiConfig {
  const mode = readVar(env, 'HARBOUR_MODE', z.enum(['sandbox', 'production']), 'sandbox');
  return { mode, secrets: webhookSecretKeyring(env, mode) };
}
