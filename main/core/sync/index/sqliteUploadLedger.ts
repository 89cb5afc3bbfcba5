// The UploadLedger of one folder, kept in the local index so a multipart upload survives a restart.
import type { MultipartCheckpoint, UploadLedger } from '../remote/objectStore.js';
import type { StatementCache } from './statementCache.js';

interface CheckpointRow {
  key: string;
  uploadId: string;
  fingerprint: string;
  partSize: number;
}

interface PartRow {
  key: string;
  partNumber: number;
  etag: string;
  size: number;
}

const CHECKPOINT_COLUMNS = 'key, upload_id AS uploadId, fingerprint, part_size AS partSize';
const PART_COLUMNS = 'key, part_number AS partNumber, etag, size';

/**
 * Every call commits before it returns (synchronous=FULL), so an acknowledged part is never
 * forgotten by a crash. Keys are object keys relative to the folder's remote prefix.
 */
export class SqliteUploadLedger implements UploadLedger {
  constructor(
    private readonly statements: StatementCache,
    private readonly folderId: string,
    private readonly now: () => number,
  ) {}

  /** The checkpoint for `key` with its parts in part-number order, or undefined. */
  find(key: string): MultipartCheckpoint | undefined {
    const row = this.statements
      .get(`SELECT ${CHECKPOINT_COLUMNS} FROM upload_checkpoints WHERE folder_id = ? AND key = ?`)
      .get(this.folderId, key) as CheckpointRow | undefined;
    if (row === undefined) return undefined;
    const parts = this.statements
      .get(`SELECT ${PART_COLUMNS} FROM upload_parts WHERE folder_id = ? AND key = ? ORDER BY part_number`)
      .all(this.folderId, key) as PartRow[];
    return toCheckpoint(row, parts);
  }

  /** Replaces any checkpoint already held for the key (its parts go with it). */
  begin(checkpoint: Omit<MultipartCheckpoint, 'parts'>): void {
    this.statements.db.transaction(() => {
      this.statements.get('DELETE FROM upload_checkpoints WHERE folder_id = ? AND key = ?').run(this.folderId, checkpoint.key);
      this.statements
        .get('INSERT INTO upload_checkpoints (folder_id, key, upload_id, fingerprint, part_size, started_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(this.folderId, checkpoint.key, checkpoint.uploadId, checkpoint.fingerprint, checkpoint.partSize, this.now());
    })();
  }

  /**
   * Records an acknowledged part; a retried part number replaces the earlier row. A part of an
   * upload the ledger no longer holds (finished, or replaced by a newer begin) is ignored.
   */
  partDone(key: string, uploadId: string, part: { partNumber: number; etag: string; size: number }): void {
    this.statements
      .get(
        `INSERT INTO upload_parts (folder_id, key, part_number, etag, size)
           SELECT folder_id, key, ?, ?, ? FROM upload_checkpoints WHERE folder_id = ? AND key = ? AND upload_id = ?
         ON CONFLICT (folder_id, key, part_number) DO UPDATE SET etag = excluded.etag, size = excluded.size`,
      )
      .run(part.partNumber, part.etag, part.size, this.folderId, key, uploadId);
  }

  /** Forgets the checkpoint once the upload completed or was aborted; another upload id is left alone. */
  finish(key: string, uploadId: string): void {
    this.statements.get('DELETE FROM upload_checkpoints WHERE folder_id = ? AND key = ? AND upload_id = ?').run(this.folderId, key, uploadId);
  }

  /** Every checkpoint of the folder, in key order. */
  all(): MultipartCheckpoint[] {
    const rows = this.statements
      .get(`SELECT ${CHECKPOINT_COLUMNS} FROM upload_checkpoints WHERE folder_id = ? ORDER BY key`)
      .all(this.folderId) as CheckpointRow[];
    const parts = this.statements
      .get(`SELECT ${PART_COLUMNS} FROM upload_parts WHERE folder_id = ? ORDER BY key, part_number`)
      .all(this.folderId) as PartRow[];
    const partsByKey = new Map<string, PartRow[]>();
    for (const part of parts) {
      const list = partsByKey.get(part.key);
      if (list === undefined) partsByKey.set(part.key, [part]);
      else list.push(part);
    }
    return rows.map((row) => toCheckpoint(row, partsByKey.get(row.key) ?? []));
  }
}

function toCheckpoint(row: CheckpointRow, parts: readonly PartRow[]): MultipartCheckpoint {
  return {
    key: row.key,
    uploadId: row.uploadId,
    fingerprint: row.fingerprint,
    partSize: row.partSize,
    parts: parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag, size: p.size })),
  };
}
