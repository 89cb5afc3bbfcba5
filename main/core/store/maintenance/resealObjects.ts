// The re-seal job: moves object keys to the newest SSE-S3 master key version and to each CMK's newest material, data untouched.
import type { AuditSink } from '../../audit/auditEvent.js';
import type { KmsActor, LocalKms } from '../../keys/kms/index.js';
import type { StoreKeyring } from '../../keys/storeKeyring.js';
import { sealObjectKey, unsealObjectKey, type KeySources, type SealIdentity, type SealingMode } from '../objects/sealing.js';
import type { StoredEncryption } from '../sse/storedEncryption.js';
import type { MetadataStore, SealedRow } from '../storage/metadataStore.js';

export interface ResealProgress {
  /** Objects and unfinished uploads looked at so far, out of `total`. */
  scanned: number;
  total: number;
  /** Keys moved to the newest version or material. */
  resealed: number;
  /** Already current, SSE-C (its key is the customer's), or changed by a writer meanwhile. */
  skipped: number;
  /** Could not be opened (a disabled or deleted CMK, a tampered row); left as they were. */
  failed: number;
}

export interface ResealSources {
  meta: MetadataStore;
  keyring: StoreKeyring;
  kms: LocalKms;
  audit: AuditSink;
}

const BATCH = 500;

/**
 * Only the 61-byte sealed object key changes: the object key itself, hence every stored segment,
 * ETag and sealed checksum, stays. Each row is swapped only if it still holds what was read, so the
 * job can run beside a live store. Progress is reported after every batch.
 */
export async function resealObjects(sources: ResealSources, actor: KmsActor, onProgress?: (p: ResealProgress) => void): Promise<ResealProgress> {
  const counts = sources.meta.countSealed();
  const progress: ResealProgress = { scanned: 0, total: counts.objects + counts.uploads, resealed: 0, skipped: 0, failed: 0 };
  const keys: KeySources = { keyring: sources.keyring, kms: sources.kms, actor };
  const currentMaterial = new Map<string, string>();
  const visit = (row: SealedRow, swap: (expected: string, next: StoredEncryption) => boolean): void => {
    progress.scanned++;
    const outcome = resealOne(row, keys, currentMaterial, swap);
    progress[outcome]++;
  };
  let after = { bucket: '', key: '' };
  for (let rows = sources.meta.sealedObjects('', '', BATCH); rows.length > 0; rows = sources.meta.sealedObjects(after.bucket, after.key, BATCH)) {
    for (const row of rows) visit(row, (expected, next) => sources.meta.resealObject(row.bucket, row.key, expected, next));
    after = rows.at(-1)!;
    onProgress?.({ ...progress });
    await new Promise((r) => setImmediate(r)); // a running store keeps serving between batches
  }
  let afterUpload = '';
  for (let rows = sources.meta.sealedUploads('', BATCH); rows.length > 0; rows = sources.meta.sealedUploads(afterUpload, BATCH)) {
    for (const row of rows) visit(row, (expected, next) => sources.meta.resealUpload(row.uploadId, expected, next));
    afterUpload = rows.at(-1)!.uploadId;
    onProgress?.({ ...progress });
    await new Promise((r) => setImmediate(r));
  }
  sources.audit.record({
    time: new Date(),
    category: 'admin',
    operation: 'ResealObjects',
    outcome: progress.failed === 0 ? 'success' : 'failure',
    principal: actor.principal,
    details: { scanned: progress.scanned, resealed: progress.resealed, skipped: progress.skipped, failed: progress.failed },
  });
  return progress;
}

function resealOne(
  row: SealedRow,
  keys: KeySources,
  currentMaterial: Map<string, string>,
  swap: (expected: string, next: StoredEncryption) => boolean,
): 'resealed' | 'skipped' | 'failed' {
  const stored = JSON.parse(row.encryption) as StoredEncryption;
  const id: SealIdentity = { bucket: row.bucket, key: row.key, uploadId: row.uploadId };
  let mode: SealingMode;
  try {
    if (stored.mode === 'SSE-C') return 'skipped';
    if (stored.mode === 'SSE-S3') {
      if (stored.masterKeyVersion === keys.keyring.current().version) return 'skipped';
      mode = { kind: 'SSE-S3' };
    } else {
      let material = currentMaterial.get(stored.keyArn);
      if (material === undefined) {
        material = keys.kms.describeKey({ keyId: stored.keyArn }).currentKeyMaterialId;
        currentMaterial.set(stored.keyArn, material);
      }
      if (stored.keyMaterialId === material) return 'skipped';
      const context = stored.context ? { raw: stored.context, pairs: JSON.parse(Buffer.from(stored.context, 'base64').toString('utf8')) as Record<string, string> } : undefined;
      mode = { kind: 'SSE-KMS', algorithm: 'aws:kms', keyArn: stored.keyArn, context, bucketKey: stored.bucketKey };
    }
    const objectKey = unsealObjectKey(stored, id, keys, undefined);
    const next = sealObjectKey(objectKey, mode, id, keys);
    objectKey.fill(0);
    return swap(row.encryption, next) ? 'resealed' : 'skipped';
  } catch {
    return 'failed';
  }
}
