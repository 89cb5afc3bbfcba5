// Per-file key rotation for a sse-c-vault folder: each old key is replaced by a new one through a server-side copy.
import type { AuditSink } from '../../audit/auditEvent.js';
import type { ObjectStore } from '../remote/objectStore.js';
import type { FolderSettings } from './folderSettings.js';
import { FolderJobError, runObjectJob, type JobIndex, type JobOutcome, type JobRunOptions, type JobVault } from './folderJob.js';
import { adoptTaggedKey, copyInPlace } from './inPlaceCopy.js';
import { recordJobEvent, type JobEventScope } from './jobEvents.js';
import { exchangeKeyring } from './keyringExchange.js';

const DAY_MS = 86_400_000;

export interface RekeyOptions extends JobRunOptions {
  readonly settings: Pick<FolderSettings, 'id' | 'mode' | 'bucket' | 'prefix'>;
  readonly store: ObjectStore;
  readonly vault: JobVault;
  readonly index: JobIndex;
  readonly audit: AuditSink;
  readonly device: string;
  /** Only keys created more than this many days ago (0: every key the vault holds for the folder). */
  readonly olderThanDays: number;
  /** Must be the vault's clock: new keys are stamped by it and compared with the run's start. */
  readonly now?: () => Date;
}

export interface RekeyOutcome extends JobOutcome {
  /** Objects whose key was older than the cutoff when the run (or the run it resumed) began. */
  readonly total: number;
}

/**
 * Gives every object of the folder whose per-file key is older than `olderThanDays` a new key:
 * a key is minted (not stored), the object is copied onto itself from the old key to the new one
 * with the new descriptor in its tag and metadata, and only then does the vault store the new key.
 *
 * Resumable by construction: a re-keyed object's key is new, so it is not a candidate again. The
 * cutoff is kept from the run a resumed run carries on (same `olderThanDays`), so even "every key"
 * does not start over. A run that died between a copy and storing its key is completed from the
 * object's tag (see adoptTaggedKey). Objects gone from the store are skipped (their keys are left).
 *
 * FolderJobError when the folder is not sse-c-vault; RangeError for a negative or non-finite
 * `olderThanDays`; the keyring exchange's errors. Per-object failures are counted, and a failure
 * that concerns every object ends the run (`stoppedBy`); either way a summary event is recorded.
 */
export async function rekeyFolder(options: RekeyOptions): Promise<RekeyOutcome> {
  const { settings, store, vault, index } = options;
  if (settings.mode !== 'sse-c-vault') throw new FolderJobError(`folder ${settings.id} is ${settings.mode}: only sse-c-vault folders have per-file keys to rotate`);
  if (!Number.isFinite(options.olderThanDays) || options.olderThanDays < 0) throw new RangeError('olderThanDays must be a non-negative number');
  const now = options.now ?? (() => new Date());
  const scope: JobEventScope = { folderId: settings.id, bucket: settings.bucket, prefix: settings.prefix, device: options.device, audit: options.audit, now };
  // New keys are wrapped under this vault's current master key: other devices need it from the keyring first.
  await exchangeKeyring(store, vault);
  const start = index.beginJob(settings.id, 'rekey', JSON.stringify({ olderThanDays: options.olderThanDays }), now().getTime());
  const cutoff = Math.min(now().getTime() - options.olderThanDays * DAY_MS, start.startedAt);
  const keys = vault.fileKeysCreatedBefore(new Date(cutoff), settings.id).map((k) => k.objectKey);

  const rekeyOne = async (key: string): Promise<'changed' | 'skipped'> => {
    const tags = await store.getTags(key);
    const held = vault.fileKeyWithDescriptor(settings.id, key);
    if (!tags || !held) return 'skipped';
    try {
      if (await adoptTaggedKey(store, vault, settings.id, key, tags, held.key)) {
        recordJobEvent(scope, 'SyncRekey', 'sse-c-vault', { objectKey: key, details: { completedFromTag: true } });
        return 'changed';
      }
      const minted = vault.mintFileKey(settings.id, key);
      try {
        const copied = await copyInPlace(store, key, { source: { mode: 'sse-c', key: held.key }, target: { mode: 'sse-c', key: minted.key }, descriptor: minted.descriptor, tags });
        if (!copied) return 'skipped';
        vault.storeFileKey(settings.id, key, minted.descriptor);
        index.replaceBaseEtag(settings.id, key, copied.before, copied.after, copied.afterVersionId);
      } finally {
        minted.key.fill(0);
      }
      recordJobEvent(scope, 'SyncRekey', 'sse-c-vault', { objectKey: key });
      return 'changed';
    } finally {
      held.key.fill(0);
    }
  };

  const outcome = await runObjectJob(keys, rekeyOne, options);
  if (!outcome.aborted && outcome.stoppedBy === undefined) index.endJob(settings.id, 'rekey');
  const stopped = outcome.stoppedBy instanceof Error ? outcome.stoppedBy : undefined;
  recordJobEvent(scope, 'SyncRekeySummary', 'sse-c-vault', {
    outcome: outcome.failed > 0 ? 'failure' : 'success',
    errorCode: stopped?.name,
    errorMessage: stopped?.message,
    details: { olderThanDays: options.olderThanDays, total: keys.length, rekeyed: outcome.changed, skipped: outcome.skipped, failed: outcome.failed, aborted: outcome.aborted, resumed: start.resumed },
  });
  return { ...outcome, total: keys.length };
}
