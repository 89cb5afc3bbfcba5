// The UI's history filter as the access history's query filter: ISO times become dates, one operation a list of one.
import type { HistoryFilter } from '../../../preload/contract.js';
import type { AuditFilter } from '../../core/audit/auditQuery.js';
import { ApiError } from '../control/apiError.js';

/**
 * Absent fields stay absent, so `undefined` or `{}` matches every event. Throws ApiError
 * InvalidRequest for a time that does not parse (the request schema already refuses those).
 */
export function toAuditFilter(filter: HistoryFilter = {}): AuditFilter {
  const audit: AuditFilter = {};
  if (filter.since !== undefined) audit.since = parseTime('since', filter.since);
  if (filter.until !== undefined) audit.until = parseTime('until', filter.until);
  if (filter.category !== undefined) audit.category = filter.category;
  if (filter.operation !== undefined) audit.operations = [filter.operation];
  if (filter.bucket !== undefined) audit.bucket = filter.bucket;
  if (filter.keyPrefix !== undefined) audit.keyPrefix = filter.keyPrefix;
  if (filter.principal !== undefined) audit.principal = filter.principal;
  if (filter.outcome !== undefined) audit.outcome = filter.outcome;
  if (filter.keyId !== undefined) audit.keyId = filter.keyId;
  if (filter.text !== undefined) audit.text = filter.text;
  return audit;
}

function parseTime(field: string, iso: string): Date {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) throw new ApiError('InvalidRequest', `filter.${field} is not an ISO time`);
  return time;
}
