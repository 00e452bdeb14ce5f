export { businessKey, userKey, withoutReplica, type RecentWrites } from './recent-writes';
export { readStoreFor, openReadReplica, recentWritePrefix, type ReadReplica, type OpenReplica } from './replica';
