// The value a multipart checkpoint is matched on: the file's fingerprint bound to how the object is to be written.
import { createHash, createHmac } from 'node:crypto';
import type { ObjectEncryption } from './objectStore.js';

export interface UploadSettings {
  readonly encryption: ObjectEncryption;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

/** A key check that proves nothing about the key to a reader of the ledger: an HMAC keyed by the key itself. */
function customerKeyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('coffer multipart upload identity').digest('hex');
}

function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * `<fingerprint>#<32 hex digits>`. An upload started with another SSE mode, KMS key, SSE-C key,
 * metadata or tags cannot be finished as this one (its parts are sealed or labelled differently),
 * so the digest makes such a checkpoint a mismatch, exactly like a changed file. The SSE-C key
 * enters only through an HMAC keyed by itself, so the ledger holds nothing that reveals it.
 */
export function uploadIdentity(fingerprint: string, settings: UploadSettings): string {
  const { encryption } = settings;
  const how = {
    mode: encryption.mode,
    kmsKeyId: encryption.mode === 'sse-kms' ? encryption.keyId ?? null : null,
    customerKeyCheck: encryption.mode === 'sse-c' ? customerKeyCheck(encryption.key) : null,
    metadata: sortedEntries(settings.metadata),
    tags: sortedEntries(settings.tags),
  };
  const digest = createHash('sha256').update(JSON.stringify(how)).digest('hex').slice(0, 32);
  return `${fingerprint}#${digest}`;
}
