// The settings side of changing a folder's mode: asking for a change, describing it, and the settings once it is done.
import { FolderJobError } from './folderJob.js';
import { parseFolderSettings, type FolderSettings, type PendingMode } from './folderSettings.js';

/** A target encryption: a mode and the key fields it needs. */
export type ModeTarget = Omit<PendingMode, 'requestedAt'>;

const KEY_FIELDS = ['kmsKeyId', 'sseCKeyFingerprint', 'sseCKeyFile', 'sseCKeyCredentialId'] as const;

/** e.g. `sse-kms (key alias/photos)`; never a key, only ids. */
export function describeMode(target: Pick<ModeTarget, 'mode' | 'kmsKeyId'>): string {
  return target.mode === 'sse-kms' && target.kmsKeyId ? `sse-kms (key ${target.kmsKeyId})` : target.mode;
}

/** Same encryption: same mode, KMS key and SSE-C key fingerprint (where the key file lives does not matter). */
export function sameEncryption(a: ModeTarget, b: ModeTarget): boolean {
  return a.mode === b.mode && a.kmsKeyId === b.kmsKeyId && a.sseCKeyFingerprint === b.sseCKeyFingerprint;
}

function currentTarget(settings: FolderSettings): ModeTarget {
  const { mode, kmsKeyId, sseCKeyFingerprint, sseCKeyFile, sseCKeyCredentialId } = settings;
  return { mode, kmsKeyId, sseCKeyFingerprint, sseCKeyFile, sseCKeyCredentialId };
}

/**
 * The settings with `target` recorded as the pending change. Asking again for the change under
 * way returns the settings as they are (the run resumes). FolderJobError when the folder already
 * uses that encryption, when a different change is under way (it must finish first: objects are
 * half in one mode, half in the other), or for sse-c-vault to sse-c-vault (that is `keys rekey`);
 * FolderSettingsError when the target's fields do not fit its mode.
 */
export function requestModeChange(settings: FolderSettings, target: ModeTarget, now: Date): FolderSettings {
  if (settings.pendingMode) {
    if (sameEncryption(settings.pendingMode, target)) return settings;
    throw new FolderJobError(
      `a change of folder ${settings.id} to ${describeMode(settings.pendingMode)} is under way: finish it first (set-mode ${settings.pendingMode.mode} again)`,
    );
  }
  if (settings.mode === 'sse-c-vault' && target.mode === 'sse-c-vault') throw new FolderJobError('the folder is sse-c-vault already: new per-file keys come from `coffer keys rekey`');
  if (sameEncryption(currentTarget(settings), target)) throw new FolderJobError(`folder ${settings.id} is ${describeMode(target)} already`);
  const pendingMode: PendingMode = { ...target, requestedAt: now.toISOString() };
  return parseFolderSettings({ ...settings, pendingMode });
}

/** The settings once the pending change is done: the target's mode and key fields, nothing pending. FolderJobError when none is pending. */
export function settingsAfterChange(settings: FolderSettings): FolderSettings {
  const pending = settings.pendingMode;
  if (!pending) throw new FolderJobError(`no mode change is pending for folder ${settings.id}`);
  const { pendingMode: _done, ...rest } = settings;
  const next: Record<string, unknown> = { ...rest };
  for (const field of KEY_FIELDS) delete next[field];
  const { requestedAt: _at, ...target } = pending;
  return parseFolderSettings({ ...next, ...target });
}
