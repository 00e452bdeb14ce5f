/** Field-level authorization at the gateway: the supergraph's @authenticated and @requiresScopes, and closed introspection. */
export { readAccessRules, withoutEnforcedSecurityMarkers, combine, type AccessRules, type Requirement } from './rules';
export { findDenials, satisfies, refusal, subscriptionRefusal, withoutDenied, completeResponse, type Caller } from './enforce';
export { authorizingGateway, authorizingExecutor, type AuthorizationOptions, type IntrospectionPolicy } from './gateway';
export { callerOf, INTROSPECTION_SCOPE } from './caller';
export { publicSchemaOf, taggedCoordinates, seesStaffSurface, STAFF_TAG } from './public-schema';
