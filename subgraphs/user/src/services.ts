import type { SigningKey, TokenAudience } from '@harbour/identity';
import type { UserStore } from '@harbour/prisma/user';
import type { PasswordHasher } from './domain/passwords';
import type { SessionRevocations } from './domain/revocations';

/** What the user subgraph's domain functions need, made once per process. */
export interface UserServices {
  store: UserStore;
  passwords: PasswordHasher;
  signingKey: SigningKey;
  tokenAudience: TokenAudience;
  revocations: SessionRevocations;
  /** A session can be refreshed for this long after log-in. */
  sessionTtlSeconds: number;
  /** Called after a transaction that wrote outbox events commits (the relay's wake-up). */
  eventsWritten: () => void;
}
