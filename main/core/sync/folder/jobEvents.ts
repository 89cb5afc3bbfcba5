// Access-history events for the long jobs on a folder's objects: one per re-keyed object, one per finished run.
import type { AuditOutcome, AuditSink } from '../../audit/auditEvent.js';
import { sseModeName } from './folderCipher.js';
import type { EncryptionMode } from './folderSettings.js';

export type JobOperation = 'SyncRekey' | 'SyncRekeySummary' | 'SyncChangeMode';

/** Who and where: the folder's bucket and prefix, and the device doing the work. */
export interface JobEventScope {
  readonly folderId: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly device: string;
  readonly audit: AuditSink;
  readonly now: () => Date;
}

/** Records one event; `objectKey` is relative to the folder's prefix (absent for a whole-folder event). Never a key's bytes. */
export function recordJobEvent(
  scope: JobEventScope,
  operation: JobOperation,
  mode: EncryptionMode,
  extra: { objectKey?: string; outcome?: AuditOutcome; errorCode?: string; errorMessage?: string; details?: Record<string, unknown> } = {},
): void {
  scope.audit.record({
    time: scope.now(),
    category: 'sync',
    operation,
    outcome: extra.outcome ?? 'success',
    principal: scope.device,
    bucket: scope.bucket,
    objectKey: extra.objectKey === undefined ? scope.prefix || undefined : scope.prefix + extra.objectKey,
    sseMode: sseModeName(mode),
    errorCode: extra.errorCode,
    errorMessage: extra.errorMessage,
    details: { folderId: scope.folderId, ...extra.details },
  });
}
