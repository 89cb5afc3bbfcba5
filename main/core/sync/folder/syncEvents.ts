// Access-history events for what the sync engine does to files: who (device), what, where, with which key mode.
import type { AuditEvent, AuditOutcome } from '../../audit/auditEvent.js';
import { sseModeName } from './folderCipher.js';
import type { SyncContext } from './syncContext.js';

export type SyncOperation = 'SyncUpload' | 'SyncDownload' | 'SyncDeleteRemote' | 'SyncDeleteLocal' | 'SyncRename' | 'SyncConflict' | 'SyncSkip';

export function recordSyncEvent(
  ctx: SyncContext,
  operation: SyncOperation,
  objectKey: string,
  extra: { outcome?: AuditOutcome; bytes?: number; errorCode?: string; errorMessage?: string; details?: Record<string, unknown> } = {},
): void {
  const event: AuditEvent = {
    time: ctx.now(),
    category: 'sync',
    operation,
    outcome: extra.outcome ?? 'success',
    principal: ctx.device,
    bucket: ctx.bucket,
    objectKey: ctx.prefix + objectKey,
    sseMode: sseModeName(ctx.cipher.mode),
    bytes: extra.bytes,
    errorCode: extra.errorCode,
    errorMessage: extra.errorMessage,
    details: { folderId: ctx.folderId, ...extra.details },
  };
  ctx.audit.record(event);
}
