/**
 * `npm run keys:rotate`: a new access-token signing key in the keys directory
 * (JWT_KEYS_DIR, else <HARBOUR_DATA_DIR>/jwt-keys). The user subgraph signs
 * with it from its next token on, without a restart, and keeps publishing
 * the older keys until their tokens have expired; keys superseded more than
 * 16 minutes ago are deleted by this command.
 */
import { commonConfig } from '@harbour/config';
import { keysDirectory, rotateSigningKey } from '@harbour/identity';

const directory = keysDirectory(commonConfig());
const { kid, retired } = rotateSigningKey(directory);
process.stdout.write(`new signing key ${kid} in ${directory}${retired.length ? `; retired ${retired.join(', ')}` : ''}\n`);
