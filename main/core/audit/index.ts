// Public API of the access history: the event contract, the log, and its query, verify, export and prune.
export { NO_AUDIT, type AuditCategory, type AuditEvent, type AuditOutcome, type AuditSink, type SseModeName } from './auditEvent.js';
export { AUDIT_LOG_PRINCIPAL, AuditLog } from './auditLog.js';
export { AUDIT_LOG_DEFAULTS, type AuditLogOptions, type AuditLogStats } from './auditLogOptions.js';
export { AuditWriteError } from './writerThreadHost.js';
export { AUDIT_BUSY_TIMEOUT_MS, AUDIT_DB_FILE, auditDatabasePath, openAuditDatabase } from './auditDatabase.js';
export {
  AuditQueryError,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  explainAuditQuery,
  iterateAuditEvents,
  queryAuditEvents,
  type AuditFilter,
  type AuditOrder,
  type AuditPage,
  type AuditPageRequest,
  type AuditRecord,
} from './auditQuery.js';
export {
  DEFAULT_HISTOGRAM_BUCKETS,
  MAX_HISTOGRAM_BUCKETS,
  auditHistogram,
  explainAuditHistogram,
  type AuditHistogram,
  type AuditHistogramOptions,
} from './auditHistogram.js';
export { CLOUDTRAIL_EVENT_VERSION, toCloudTrailRecord } from './cloudTrail.js';
export { exportJsonLine, exportJsonLines, exportJsonLinesStream } from './exportJsonl.js';
export { EXPORT_PAGE_EVENTS, exportJsonLinesPage, type ExportPage } from './exportPage.js';
export { AuditKeyError } from './logSettings.js';
export { AuditPruneRefusedError, pruneAuditLog, type PruneOptions, type PruneResult } from './pruneLog.js';
export { verifyAuditChain, type FirstBad, type VerifyResult } from './verifyChain.js';
export { isSecretFieldName } from './secretFields.js';
