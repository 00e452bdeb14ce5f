import type { SigningKeys, TokenAudience } from '@harbour/identity';
import type { ApiKeyMode, UserStore } from '@harbour/prisma/user';
import type { LoginFailures } from './domain/login-failures';
import type { PasswordHasher } from './domain/passwords';
import type { SessionRevocations } from './domain/revocations';

/** What the user subgraph's domain functions need, made once per process. */
export interface UserServices {
  store: UserStore;
  passwords: PasswordHasher;
  /** The newest signs; all are published (rotation without a restart). */
  signingKeys: SigningKeys;
  tokenAudience: TokenAudience;
  revocations: SessionRevocations;
  /** Wrong passwords per phone number (logIn's per-account limit). */
  loginFailures: LoginFailures;
  /** A session can be refreshed for this long after log-in. */
  sessionTtlSeconds: number;
  /** Called after a transaction that wrote outbox events commits (the relay's wake-up). */
  eventsWritten: () => void;
  /** API keys: the kind this deployment issues (sandbox or live) and the key their secrets' HMAC uses. */
  apiKeys: { mode: ApiKeyMode; hashKey: Uint8Array };
}
