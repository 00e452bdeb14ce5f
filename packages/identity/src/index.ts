export { loadSigningKey, loadSigningKeys, keysDirectory, rotateSigningKey, ACCESS_TOKEN_ALGORITHM, type SigningKey, type SigningKeys } from './signing-key';
export {
  signAccessToken,
  signMachineToken,
  verifyAccessToken,
  InvalidAccessToken,
  ACCESS_TOKEN_TTL_SECONDS,
  type AccessTokenClaims,
  type TokenAudience,
} from './access-token';
export { createRemoteKeySet, type RemoteKeySet, type RemoteKeySetOptions } from './remote-key-set';
export {
  SCOPES,
  isScope,
  PARTNER_SCOPES,
  isPartnerScope,
  STAFF_SCOPES,
  isStaffScope,
  STAFF_AMR,
  STAFF_TOKEN_TTL_SECONDS,
  usableStaffScopes,
  usableScopes,
  type Scope,
  type PartnerScope,
  type StaffScope,
} from './scopes';
export { signIdentity, verifyIdentity, loadIdentitySecret, IDENTITY_HEADER, type Identity } from './forwarded-identity';
export { revokedSessionKey, revokedSessionsChannel, revokedSessionMessage, REVOCATION_TTL_SECONDS } from './revocation';
export { readOrCreateLocalSecret } from './local-secrets';
