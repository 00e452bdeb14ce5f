import { defineStoreSubgraph } from '@harbour/server';
import { notificationContext } from './context';
import { resolvers } from './resolvers';

/** The notification subgraph: what each user is told, and what they have read. */
export const buildNotificationSubgraph = defineStoreSubgraph({ name: 'notification', packageRoot: `${__dirname}/..`, resolvers, context: notificationContext });
