// On a case-insensitive folder one file can be spelled three ways: which other spellings each planned action retires or reads.
import { remoteKeyOf } from './pathKey.js';
import type { PlanEntry } from './planIndex.js';
import type { BaseFile, SyncAction } from './syncTypes.js';

/**
 * Adds to `action` (what the three-way rule decided for `entry`) the other spellings of the same
 * file the executor must act on. The local name, the remote key and the base row of one entry can
 * only differ in case (NFC and NFD forms share one remote key), and only on a case-insensitive
 * folder, so elsewhere every action comes back unchanged.
 * - upload: `replacesKey`, the remote key when it is not the local name's. An upload with a remote
 *   object is upload(changed), so that object is exactly the base version: superseding it loses nothing.
 * - download: `replacesLocal`, the scanned local name when it is not the key's (download(changed),
 *   so that file is exactly the base version).
 * - conflict (both-changed, both-new): `remoteKey` when it is not the local name's. The remote
 *   object is never superseded: it may hold the other side's edit, and it wins the path.
 * - all four, and record-base: `replacesBase`, the base row's name when the action records the
 *   base under another key (the local name's for upload and record-base, the remote key's for
 *   download and conflict), so one file never keeps two base rows.
 * Other actions come back as they are. Never throws.
 */
export function withSpellings(action: SyncAction | undefined, entry: PlanEntry): SyncAction | undefined {
  const { local, remote, base } = entry;
  switch (action?.type) {
    case 'upload': {
      const key = remoteKeyOf(action.path);
      const replacesKey = remote !== undefined && remote.path !== key ? { replacesKey: remote.path } : {};
      return { ...action, ...replacesKey, ...staleBase(base, key) };
    }
    case 'download': {
      const replacesLocal = local !== undefined && remoteKeyOf(local.path) !== action.path ? { replacesLocal: local.path } : {};
      return { ...action, ...replacesLocal, ...staleBase(base, action.path) };
    }
    case 'conflict': {
      if (action.kind !== 'both-changed' && action.kind !== 'both-new') return action;
      if (local === undefined || remote === undefined) return action;
      const remoteKey = remote.path !== remoteKeyOf(local.path) ? { remoteKey: remote.path } : {};
      return { ...action, ...remoteKey, ...staleBase(base, remote.path) };
    }
    case 'record-base':
      return { ...action, ...staleBase(base, remoteKeyOf(action.path)) };
    default:
      return action;
  }
}

/** `{ replacesBase }` when the base row sits at another key than `recordedKey`, else nothing. */
function staleBase(base: BaseFile | undefined, recordedKey: string): { replacesBase?: string } {
  return base !== undefined && remoteKeyOf(base.path) !== recordedKey ? { replacesBase: base.path } : {};
}
