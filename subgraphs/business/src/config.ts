import { readVar, servicePort, url } from '@harbour/config';

type Env = Record<string, string | undefined>;

/** Base URL of the user subgraph's internal paths (adding a member by phone asks it who signed up with the number). */
export const userInternalUrl = (env: Env = process.env): string =>
  readVar(env, 'USER_INTERNAL_URL', url(['http:', 'https:']), `http://127.0.0.1:${servicePort('user', env)}`);
