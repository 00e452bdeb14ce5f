import { internalUrl } from '@harbour/config';

/** Base URL of the user subgraph's internal paths (adding a member by phone asks it who signed up with the number). */
export const userInternalUrl = (env: Record<string, string | undefined> = process.env): string => internalUrl('user', 'USER_INTERNAL_URL', env);
