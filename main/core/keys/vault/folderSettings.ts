// Synced folders and their settings document: plain rows, readable while the vault is locked (nothing here is secret).
import type { SqliteDatabase } from '../../db/openDatabase.js';
import type { RandomSource } from '../../crypto/random.js';
import { randomId } from './vaultKeys.js';

export interface FolderRecord {
  id: string;
  localPath: string;
  /** A JSON document whose schema the sync engine owns; the vault checks only that it parses. */
  settings: string;
  createdAt: Date;
  updatedAt: Date;
}

interface FolderRow {
  id: string;
  local_path: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

const recordOf = (row: FolderRow): FolderRecord => ({
  id: row.id,
  localPath: row.local_path,
  settings: row.settings,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

function assertSettings(settings: string): void {
  try {
    JSON.parse(settings);
  } catch {
    throw new TypeError('folder settings must be a JSON document');
  }
}

export class FolderSettings {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly random: RandomSource,
    private readonly now: () => Date,
  ) {}

  /**
   * Adds a folder with a new random id (16 hex characters). TypeError if `settings` is not JSON;
   * a SQLite constraint error if another folder already has `localPath`.
   */
  add(localPath: string, settings: string): FolderRecord {
    if (typeof localPath !== 'string' || localPath.length === 0) throw new TypeError('a folder needs a local path');
    assertSettings(settings);
    const now = this.now().getTime();
    const id = randomId(this.random);
    this.db.prepare('INSERT INTO folders (id, local_path, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(id, localPath, settings, now, now);
    return this.get(id)!;
  }

  get(id: string): FolderRecord | undefined {
    const row = this.db.prepare('SELECT * FROM folders WHERE id = ?').get(id) as FolderRow | undefined;
    return row ? recordOf(row) : undefined;
  }

  /** Every folder, oldest first. */
  list(): FolderRecord[] {
    return (this.db.prepare('SELECT * FROM folders ORDER BY created_at, id').all() as FolderRow[]).map(recordOf);
  }

  /** Changes the path and/or settings; returns the new record, or undefined if there is no such folder. */
  update(id: string, change: { localPath?: string; settings?: string }): FolderRecord | undefined {
    if (change.settings !== undefined) assertSettings(change.settings);
    if (change.localPath !== undefined && change.localPath.length === 0) throw new TypeError('a folder needs a local path');
    const result = this.db
      .prepare('UPDATE folders SET local_path = coalesce(?, local_path), settings = coalesce(?, settings), updated_at = ? WHERE id = ?')
      .run(change.localPath ?? null, change.settings ?? null, this.now().getTime(), id);
    return result.changes > 0 ? this.get(id) : undefined;
  }

  /** True if a folder was removed. Its per-file keys stay until deleted (objects may still need them). */
  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM folders WHERE id = ?').run(id).changes > 0;
  }
}
