export type { AuditEntryInput, AuditRow, AuditPage, AuditLog } from './audit-log';
