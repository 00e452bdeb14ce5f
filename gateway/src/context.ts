import type { BaseContext } from '@apollo/server';
import type { Identity } from '@harbour/identity';
import type { Logger } from '@harbour/logger';
import type { Language } from '@harbour/server';
import type { RequestTrace } from './observability/tracing';

export interface GatewayContext extends BaseContext {
  identity: Identity;
  /** The access token's scopes (absent: none), for @requiresScopes and introspection in production. */
  scopes?: readonly string[];
  requestId: string;
  /** The W3C trace this request belongs to (absent when completing a subscription's update). */
  trace?: RequestTrace;
  language: Language;
  logger: Logger;
  /**
   * The client's IP (X-Forwarded-For only from a trusted proxy), for rate
   * limits. Absent for operations the gateway runs itself (completing
   * subscription updates), which are not rate limited.
   */
  clientIp?: string;
  /** The identity header for this request's subgraph fetches, signed once. */
  signedIdentity?: Promise<string>;
}
