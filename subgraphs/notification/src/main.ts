import { createNotificationStore } from '@harbour/prisma/notification';
import { runSubgraph } from '@harbour/server';
import { buildNotificationSubgraph } from './build';

runSubgraph('notification', createNotificationStore, buildNotificationSubgraph);
