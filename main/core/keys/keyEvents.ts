// Access-history events for the store's own key administration (the KMS emits its own).
import type { AuditEvent } from '../audit/auditEvent.js';

/** The SSE-S3 master key's audit id (objects name it with their version). */
export const STORE_MASTER_KEY_ID = 'store-master-key';

export function masterKeyRotationEvent(version: number, principal: string, now = new Date()): AuditEvent {
  return {
    time: now,
    category: 'admin',
    operation: 'RotateStoreMasterKey',
    outcome: 'success',
    principal,
    keyId: STORE_MASTER_KEY_ID,
    keyVersion: String(version),
  };
}
