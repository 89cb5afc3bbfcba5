// Per-folder bookkeeping the UI shows and a restart keeps: scan/listing/sync times, last error, paused.
import type { StatementCache } from './statementCache.js';

/** Times are milliseconds since the Unix epoch; null means "never". */
export interface FolderState {
  readonly lastFullScanAt: number | null;
  readonly lastRemoteListingAt: number | null;
  readonly lastSyncAt: number | null;
  /** A message fit for the UI (never a secret); null when the last attempt succeeded. */
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  readonly paused: boolean;
  /** Why the folder is paused (e.g. its root disappeared), for the UI; null when not paused or paused by the user without one. */
  readonly pausedReason: string | null;
}

export const NEVER_SYNCED: FolderState = {
  lastFullScanAt: null,
  lastRemoteListingAt: null,
  lastSyncAt: null,
  lastError: null,
  lastErrorAt: null,
  paused: false,
  pausedReason: null,
};

interface FolderStateRow extends Omit<FolderState, 'paused'> {
  paused: number;
}

const COLUMNS = `last_full_scan_at AS lastFullScanAt, last_remote_listing_at AS lastRemoteListingAt, last_sync_at AS lastSyncAt,
  last_error AS lastError, last_error_at AS lastErrorAt, paused, paused_reason AS pausedReason`;

export class FolderStates {
  constructor(
    private readonly statements: StatementCache,
    private readonly now: () => number,
  ) {}

  /** The stored state, or NEVER_SYNCED for a folder the index has not seen. */
  get(folderId: string): FolderState {
    const row = this.statements.get(`SELECT ${COLUMNS} FROM folder_state WHERE folder_id = ?`).get(folderId) as FolderStateRow | undefined;
    return row === undefined ? NEVER_SYNCED : { ...row, paused: row.paused === 1 };
  }

  /**
   * Merges `patch` into the stored state and returns the result. Setting `lastError` without
   * `lastErrorAt` stamps it with the clock (or clears it with a null error).
   */
  set(folderId: string, patch: Partial<FolderState>): FolderState {
    return this.statements.db.transaction(() => {
      const merged: FolderState = { ...this.get(folderId), ...patch };
      const stamped: FolderState =
        patch.lastError !== undefined && patch.lastErrorAt === undefined
          ? { ...merged, lastErrorAt: patch.lastError === null ? null : this.now() }
          : merged;
      this.statements
        .get(
          `INSERT INTO folder_state (folder_id, last_full_scan_at, last_remote_listing_at, last_sync_at, last_error, last_error_at, paused, paused_reason)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (folder_id) DO UPDATE SET
             last_full_scan_at = excluded.last_full_scan_at, last_remote_listing_at = excluded.last_remote_listing_at,
             last_sync_at = excluded.last_sync_at, last_error = excluded.last_error, last_error_at = excluded.last_error_at,
             paused = excluded.paused, paused_reason = excluded.paused_reason`,
        )
        .run(
          folderId,
          stamped.lastFullScanAt,
          stamped.lastRemoteListingAt,
          stamped.lastSyncAt,
          stamped.lastError,
          stamped.lastErrorAt,
          stamped.paused ? 1 : 0,
          stamped.pausedReason,
        );
      return stamped;
    })();
  }
}
