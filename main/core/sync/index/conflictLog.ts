// The conflicts the UI lists: what clashed, where the local copy went, and whether the user has dealt with it.
import type { ConflictKind, RelativePath } from '../syncTypes.js';
import type { StatementCache } from './statementCache.js';

export interface ConflictRecord {
  readonly id: number;
  readonly folderId: string;
  readonly path: RelativePath;
  /** Where the local copy was moved; null when nothing was moved (e.g. a case clash that was skipped). */
  readonly conflictPath: RelativePath | null;
  readonly kind: ConflictKind;
  /** Milliseconds since the Unix epoch. */
  readonly time: number;
  readonly resolvedAt: number | null;
}

export interface NewConflict {
  readonly path: RelativePath;
  readonly conflictPath?: RelativePath | null;
  readonly kind: ConflictKind;
  /** Defaults to the index's clock. */
  readonly time?: number;
}

const COLUMNS = 'id, folder_id AS folderId, path, conflict_path AS conflictPath, kind, time, resolved_at AS resolvedAt';

export class ConflictLog {
  constructor(
    private readonly statements: StatementCache,
    private readonly now: () => number,
  ) {}

  /** Returns the new conflict's id. Throws SqliteError (CHECK) for a kind outside ConflictKind. */
  add(folderId: string, conflict: NewConflict): number {
    const result = this.statements
      .get('INSERT INTO conflicts (folder_id, path, conflict_path, kind, time) VALUES (?, ?, ?, ?, ?)')
      .run(folderId, conflict.path, conflict.conflictPath ?? null, conflict.kind, conflict.time ?? this.now());
    return Number(result.lastInsertRowid);
  }

  /** Oldest first; unresolved ones only unless asked. */
  list(folderId: string, options: { includeResolved?: boolean } = {}): ConflictRecord[] {
    const sql = options.includeResolved
      ? `SELECT ${COLUMNS} FROM conflicts WHERE folder_id = ? ORDER BY id`
      : `SELECT ${COLUMNS} FROM conflicts WHERE folder_id = ? AND resolved_at IS NULL ORDER BY id`;
    return this.statements.get(sql).all(folderId) as ConflictRecord[];
  }

  /** Marks an open conflict of this folder resolved; false when there is no such open conflict. */
  resolve(folderId: string, id: number, at: number = this.now()): boolean {
    const result = this.statements
      .get('UPDATE conflicts SET resolved_at = ? WHERE folder_id = ? AND id = ? AND resolved_at IS NULL')
      .run(at, folderId, id);
    return result.changes === 1;
  }
}
