export { loadSigningKey, publicJwks, ACCESS_TOKEN_ALGORITHM, type SigningKey } from './signing-key';
export {
  signAccessToken,
  verifyAccessToken,
  InvalidAccessToken,
  ACCESS_TOKEN_TTL_SECONDS,
  type AccessTokenClaims,
  type TokenAudience,
} from './access-token';
export { signIdentity, verifyIdentity, loadIdentitySecret, IDENTITY_HEADER, type Identity } from './forwarded-identity';
export { revokedSessionKey, REVOCATION_TTL_SECONDS } from './revocation';
export { readOrCreateLocalSecret } from './local-secrets';
