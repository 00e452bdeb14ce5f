/** Rate limits per user and per client IP in Redis (sliding window), failing open when Redis is down. */
export { GatewayRateLimit, DEFAULT_RATE_LIMITS, type RateLimitConfig, type RateLimitOptions, type Refusal, type Caller } from './rate-limit';
export { clientIp, ipSubject, normaliseIp, TrustedProxies } from './client-ip';
export { selectsSensitiveField, SENSITIVE_ROOT_FIELDS } from './sensitive';
export { SlidingWindowLimiter, type Verdict, type WindowLimit } from './sliding-window';
