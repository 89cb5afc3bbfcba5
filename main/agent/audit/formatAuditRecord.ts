// One stored event as a line of text for `coffer audit list`: seq, time, what, who, on what, with which key.
import type { AuditRecord } from '../../core/audit/auditQuery.js';

export function formatAuditRecord(record: AuditRecord): string {
  const e = record.event;
  const target = e.bucket !== undefined ? `${e.bucket}${e.objectKey !== undefined ? `/${e.objectKey}` : ''}` : undefined;
  // Store master key versions are numbers (v3); KMS key material ids are printed as they are.
  const version = e.keyVersion === undefined ? '' : /^\d+$/.test(e.keyVersion) ? ` v${e.keyVersion}` : ` ${e.keyVersion}`;
  const key = e.keyId !== undefined ? `${e.keyId}${version}` : undefined;
  const parts = [
    `#${record.seq}`,
    e.time.toISOString(),
    e.category.padEnd(5),
    e.operation,
    e.outcome,
    e.httpStatus !== undefined ? String(e.httpStatus) : undefined,
    e.errorCode,
    e.principal !== undefined ? `by ${e.principal}` : undefined,
    e.sourceIp !== undefined ? `from ${e.sourceIp}` : undefined,
    target,
    e.sseMode !== undefined && e.sseMode !== 'none' ? e.sseMode : undefined,
    key !== undefined ? `key ${key}` : undefined,
  ];
  return parts.filter((p): p is string => p !== undefined && p !== '').join('  ');
}
