// Retention: deletes the oldest events and leaves a signed checkpoint, so the rest of the chain still verifies.
import type { SqliteDatabase } from '../db/openDatabase.js';
import { checkpointMac } from './hashChain.js';
import { AuditKeyError, authenticSettingsKey, readSettings } from './logSettings.js';
import { verifyAuditChain, type FirstBad } from './verifyChain.js';

export interface PruneOptions {
  /** Prune even though verify finds the log broken (the evidence in the pruned part is then gone). */
  force?: boolean;
  now?: () => Date;
}

export interface PruneResult {
  pruned: number;
  /** The new checkpoint: the chain now starts after this event. Absent when nothing was pruned. */
  checkpoint?: { seq: number; hash: string };
  /** Set when force pruned a log that did not verify. */
  brokenAt?: FirstBad;
}

/** Prune found the log broken: pruning would sign over the tampered part and erase the evidence. */
export class AuditPruneRefusedError extends Error {
  constructor(readonly firstBad: FirstBad) {
    super(`the audit log is broken at event ${firstBad.seq}: ${firstBad.reason}; nothing was pruned (force to prune anyway)`);
    this.name = 'AuditPruneRefusedError';
  }
}

/**
 * Deletes the longest prefix of the chain whose events are all older than `olderThan` (time and
 * sequence order can differ slightly across processes; a prefix keeps the chain contiguous).
 * The checkpoint holds that prefix's last seq and hash, signed with the digest key, so verify
 * starts from it; digests wholly inside the prefix go too. The whole log is verified first.
 */
export function pruneAuditLog(db: SqliteDatabase, rootKey: Buffer, olderThan: Date, options: PruneOptions = {}): PruneResult {
  const now = options.now ?? (() => new Date());
  const stored = readSettings(db);
  const digestKey = stored && authenticSettingsKey(stored, rootKey);
  if (stored && !digestKey) throw new AuditKeyError();
  const verified = verifyAuditChain(db, rootKey);
  if (!verified.ok && !options.force) throw new AuditPruneRefusedError(verified.firstBad!);
  const brokenAt = verified.ok ? {} : { brokenAt: verified.firstBad! };
  if (!digestKey) return { pruned: 0, ...brokenAt };
  return db.transaction((): PruneResult => {
    const cutoff = olderThan.getTime();
    const checkpointSeq = (db.prepare('SELECT max(seq) FROM checkpoints').pluck().get() as number | null) ?? 0;
    const firstKept = db.prepare('SELECT seq FROM events WHERE +time >= ? ORDER BY seq LIMIT 1').pluck().get(cutoff) as number | undefined;
    const lastPruned =
      firstKept !== undefined ? firstKept - 1 : ((db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null) ?? 0);
    const row = db.prepare('SELECT hash FROM events WHERE seq = ?').get(lastPruned) as { hash: Buffer } | undefined;
    if (lastPruned <= checkpointSeq || !row) return { pruned: 0, ...brokenAt };
    db.prepare('INSERT INTO checkpoints (seq, hash, pruned_before, created_at, mac) VALUES (?, ?, ?, ?, ?)').run(
      lastPruned,
      row.hash,
      cutoff,
      now().getTime(),
      checkpointMac(digestKey, lastPruned, row.hash),
    );
    const pruned = db.prepare('DELETE FROM events WHERE seq <= ?').run(lastPruned).changes;
    db.prepare('DELETE FROM digests WHERE last_seq <= ?').run(lastPruned);
    db.prepare('DELETE FROM checkpoints WHERE seq < ?').run(lastPruned);
    return { pruned, checkpoint: { seq: lastPruned, hash: row.hash.toString('hex') }, ...brokenAt };
  }).immediate();
}
