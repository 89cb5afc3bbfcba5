// Changing a folder's encryption mode: every object is copied onto itself from the old mode's keys to the new mode's.
import type { AuditSink } from '../../audit/auditEvent.js';
import type { ObjectEncryption, ObjectStore } from '../remote/objectStore.js';
import { FolderCipher, type FolderKeys } from './folderCipher.js';
import { FolderJobError, jobErrorClass, runObjectJob, type JobIndex, type JobOutcome, type JobRunOptions, type JobVault } from './folderJob.js';
import type { FolderSettings } from './folderSettings.js';
import { adoptTaggedKey, copyInPlace, opensWith, type CopiedObject, type InPlaceCopy } from './inPlaceCopy.js';
import { recordJobEvent } from './jobEvents.js';
import { exchangeKeyring } from './keyringExchange.js';
import { describeMode, settingsAfterChange } from './modeChangeSettings.js';
import { META_PREFIX } from './remoteLayout.js';

export interface ModeChangeOptions extends JobRunOptions {
  /** The folder's settings with `pendingMode` set (see requestModeChange). */
  readonly settings: FolderSettings;
  readonly store: ObjectStore;
  readonly index: JobIndex;
  readonly audit: AuditSink;
  readonly device: string;
  /** Needed when either mode is sse-c-vault (unlocked). */
  readonly vault?: JobVault;
  /** The keys of the folder's current mode (its SSE-C key for sse-c-key; the vault for sse-c-vault). */
  readonly fromKeys: FolderKeys;
  /** The new mode's SSE-C key when it is sse-c-key (32 bytes, already checked against its fingerprint). */
  readonly toUserKey?: Buffer;
  /** Stores the settings once every object is done; called before the job's progress is forgotten. */
  readonly saveSettings: (settings: FolderSettings) => void;
  readonly now?: () => Date;
}

export interface ModeChangeOutcome extends JobOutcome {
  /** Objects of the folder (Coffer's own `.coffer/` records excepted). */
  readonly total: number;
  /** True when every object is done and the settings now name the new mode. */
  readonly completed: boolean;
  /** The settings after the run: the new mode when completed, else as they were (the change still pending). */
  readonly settings: FolderSettings;
}

/** The destination of one object, and what makes it final once the copy succeeded. */
interface Destination {
  readonly copy: Omit<InPlaceCopy, 'source'>;
  /** Stores a minted per-file key (sse-c-vault): only after the store holds the object under it. */
  commit(): void;
  wipe(): void;
}

/**
 * Re-encrypts every object under the folder's prefix (the trash too; not `.coffer/`, whose
 * keyring stays SSE-S3) from the current mode to `settings.pendingMode`, by a server-side copy
 * onto itself. Per-object progress is kept in the index, so a crash or abort resumes where it
 * stopped; an object copied just before a crash (not yet recorded) is recognised because it
 * already opens with the new mode's key, or its tag holds a key this vault can open.
 *
 * When every object is done: `saveSettings(new settings)`, the progress is forgotten, per-file
 * keys of a former sse-c-vault mode have been deleted one by one, and a SyncChangeMode event is
 * recorded. Otherwise the change stays pending (a failure event when objects failed).
 *
 * FolderJobError when nothing is pending or a needed key is missing; the keyring exchange's errors.
 */
export async function changeFolderMode(options: ModeChangeOptions): Promise<ModeChangeOutcome> {
  const { settings, store, index, vault } = options;
  const pending = settings.pendingMode;
  if (!pending) throw new FolderJobError(`no mode change is pending for folder ${settings.id}`);
  const target = settingsAfterChange(settings);
  const fromVault = settings.mode === 'sse-c-vault';
  const toVault = target.mode === 'sse-c-vault';
  if ((fromVault || toVault) && !vault) throw new FolderJobError('changing to or from sse-c-vault needs the unlocked vault');
  if (target.mode === 'sse-c-key' && !options.toUserKey) throw new FolderJobError('changing to sse-c-key needs the new SSE-C key');
  const now = options.now ?? (() => new Date());
  const scope = { folderId: settings.id, bucket: settings.bucket, prefix: settings.prefix, device: options.device, audit: options.audit, now };
  // Keys minted for sse-c-vault are wrapped under this vault's master key: other devices must be able to fetch it.
  if (vault && (fromVault || toVault)) await exchangeKeyring(store, vault);

  index.beginJob(settings.id, 'change-mode', JSON.stringify(pending), now().getTime());
  const finished = index.jobFinished(settings.id, 'change-mode');
  const keys: string[] = [];
  for await (const object of store.list()) if (!object.key.startsWith(META_PREFIX)) keys.push(object.key);
  const todo = keys.filter((k) => !finished.has(k));
  const source = new FolderCipher(settings, options.fromKeys);

  const destinationOf = (key: string): Destination => {
    switch (target.mode) {
      case 'sse-s3':
        return { copy: { target: { mode: 'sse-s3' }, descriptor: fromVault ? null : undefined }, commit: () => undefined, wipe: () => undefined };
      case 'sse-kms':
        return { copy: { target: { mode: 'sse-kms', keyId: target.kmsKeyId }, descriptor: fromVault ? null : undefined }, commit: () => undefined, wipe: () => undefined };
      case 'sse-c-key':
        return { copy: { target: { mode: 'sse-c', key: options.toUserKey! }, descriptor: fromVault ? null : undefined }, commit: () => undefined, wipe: () => undefined };
      case 'sse-c-vault': {
        const minted = vault!.mintFileKey(settings.id, key);
        return {
          copy: { target: { mode: 'sse-c', key: minted.key }, descriptor: minted.descriptor },
          commit: () => vault!.storeFileKey(settings.id, key, minted.descriptor),
          wipe: () => minted.key.fill(0),
        };
      }
    }
  };

  /** After a refused copy: was the object re-encrypted by a run that died before recording it? */
  const alreadyInTarget = async (key: string): Promise<boolean> => {
    if (toVault) {
      const tags = await store.getTags(key);
      return tags !== undefined && (await adoptTaggedKey(store, vault!, settings.id, key, tags, undefined));
    }
    const reading: ObjectEncryption | undefined = target.mode === 'sse-c-key' ? { mode: 'sse-c', key: options.toUserKey! } : undefined;
    // Without SSE-C on either side a HEAD cannot tell the modes apart; but then the copy was not refused for its key.
    if (reading === undefined && settings.mode !== 'sse-c-key' && !fromVault) return false;
    return opensWith(store, key, reading);
  };

  const finish = (key: string, copied?: CopiedObject): 'changed' => {
    index.markJobFinished(settings.id, 'change-mode', key);
    if (fromVault) vault!.deleteFileKey(settings.id, key);
    if (copied) index.replaceBaseEtag(settings.id, key, copied.before, copied.after, copied.afterVersionId);
    return 'changed';
  };

  const changeOne = async (key: string): Promise<'changed' | 'skipped'> => {
    let destination: Destination | undefined;
    try {
      const from = await source.forRead(key, store);
      destination = destinationOf(key);
      const copied = await copyInPlace(store, key, { source: from, ...destination.copy });
      if (!copied) return 'skipped';
      destination.commit();
      return finish(key, copied);
    } catch (err) {
      if (jobErrorClass(err) !== 'skip' || !(await alreadyInTarget(key))) throw err;
      return finish(key);
    } finally {
      destination?.wipe();
    }
  };

  const outcome = await runObjectJob(todo, changeOne, { ...options, alreadyDone: keys.length - todo.length });
  const completed = !outcome.aborted && outcome.stoppedBy === undefined && outcome.failed === 0;
  const details = { from: describeMode(settings), to: describeMode(target), total: keys.length, reencrypted: outcome.changed, skipped: outcome.skipped, failed: outcome.failed };
  if (completed) {
    options.saveSettings(target);
    index.endJob(settings.id, 'change-mode');
    recordJobEvent(scope, 'SyncChangeMode', target.mode, { details });
  } else if (outcome.failed > 0) {
    const stopped = outcome.stoppedBy instanceof Error ? outcome.stoppedBy : undefined;
    recordJobEvent(scope, 'SyncChangeMode', target.mode, { outcome: 'failure', errorCode: stopped?.name, errorMessage: stopped?.message ?? outcome.errors[0]?.message, details });
  }
  return { ...outcome, total: keys.length, completed, settings: completed ? target : settings };
}
