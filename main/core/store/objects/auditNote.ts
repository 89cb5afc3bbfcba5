// Tells the access history which encryption and which key version a request used.
import { STORE_MASTER_KEY_ID } from '../../keys/keyEvents.js';
import type { AuditNote } from '../requestContext.js';
import type { StoredEncryption } from '../sse/storedEncryption.js';

export function noteEncryption(note: AuditNote, stored: StoredEncryption, bytes?: number): void {
  note.sseMode = stored.mode;
  if (stored.mode === 'SSE-S3') {
    note.keyId = STORE_MASTER_KEY_ID;
    note.keyVersion = String(stored.masterKeyVersion);
  } else if (stored.mode === 'SSE-KMS') {
    note.keyId = stored.keyArn;
    note.keyVersion = stored.keyMaterialId;
  }
  if (bytes !== undefined) note.bytes = bytes;
}
