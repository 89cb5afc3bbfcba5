// Walks the chain from genesis (or the checkpoint) in constant memory and names the first event that does not verify.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from '../db/openDatabase.js';
import { COLUMN_NAMES, columnsOf, decodeEvent } from './eventCodec.js';
import { GENESIS_HASH, chainHash, checkpointMac, digestMac, sameBytes } from './hashChain.js';
import { authenticSettingsKey, readSettings } from './logSettings.js';

export interface FirstBad {
  seq: number;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Events whose link, hash and columns were checked. */
  checked: number;
  firstBad?: FirstBad;
  /** The chain starts after this event (a prune checkpoint); 0 when it starts at genesis. */
  checkpointSeq: number;
  /** Signed digests checked. */
  digests: number;
  /** The last event checked and its hash (hex): worth writing down elsewhere as an external anchor. */
  lastSeq: number;
  lastHash?: string;
}

/** Rows read per query: memory stays constant however long the log is. */
const CHUNK_ROWS = 1000;

interface EventRow {
  seq: number;
  event_json: unknown;
  prev_hash: unknown;
  hash: unknown;
  [column: string]: unknown;
}

interface DigestRow {
  last_seq: number;
  first_seq: number;
  last_hash: unknown;
  mac: unknown;
}

/**
 * Checks, in this order: the settings signature (wrong root key), the checkpoint signature, then
 * per event its sequence (a gap is a deleted row), its link to the previous hash (reordered or
 * replaced rows), its own hash (an edited event) and its indexed columns against the hashed JSON;
 * and every signed digest: its MAC, that digests tile the chain with one at each multiple of the
 * digest interval, and that the chain's hash at its last event is the one it signed (a chain
 * recomputed without the key). Runs in one read transaction, so concurrent appends do not race it.
 */
export function verifyAuditChain(db: SqliteDatabase, rootKey: Buffer): VerifyResult {
  return db.transaction(() => {
    const steps = new ChainVerifier(db, rootKey).run();
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  })();
}

/**
 * The same check without holding the thread: `db` must be a connection of its own (it stays in a
 * read transaction, so appends meanwhile are not seen), and the event loop gets a turn after every
 * chunk of rows, so a process that also serves requests (the agent's embedded store) keeps serving
 * them while a long history is verified.
 */
export async function verifyAuditChainYielding(db: SqliteDatabase, rootKey: Buffer): Promise<VerifyResult> {
  db.exec('BEGIN');
  try {
    const steps = new ChainVerifier(db, rootKey).run();
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return step.value;
      await yieldToEventLoop();
    }
  } finally {
    db.exec('COMMIT');
  }
}

class ChainVerifier {
  private checked = 0;
  private digests = 0;
  private checkpointSeq = 0;
  private lastSeq = 0;
  private lastHash: Buffer | undefined;
  private readonly nextDigest: Database.Statement;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly rootKey: Buffer,
  ) {
    this.nextDigest = db.prepare('SELECT last_seq, first_seq, last_hash, mac FROM digests WHERE last_seq > ? ORDER BY last_seq LIMIT 1');
  }

  /** Yields after each chunk of rows (a place to pause); returns the result. */
  *run(): Generator<void, VerifyResult> {
    const checkpoint = this.db.prepare('SELECT seq, hash, mac FROM checkpoints ORDER BY seq DESC LIMIT 1').get() as
      | { seq: number; hash: Buffer; mac: unknown }
      | undefined;
    this.checkpointSeq = checkpoint?.seq ?? 0;
    this.lastSeq = this.checkpointSeq;
    const start = this.checkpointSeq + 1;
    const firstRow = this.db.prepare('SELECT min(seq) FROM events').pluck().get() as number | null;
    const stored = readSettings(this.db);
    if (!stored) return firstRow === null && !checkpoint ? this.result() : this.bad(start, 'the signed settings row is missing');
    const key = authenticSettingsKey(stored, this.rootKey);
    if (!key || !stored.settings) return this.bad(start, 'the settings signature does not verify (wrong root key, or the settings were altered)');
    if (checkpoint && !sameBytes(checkpoint.mac, checkpointMac(key, checkpoint.seq, checkpoint.hash))) {
      return this.bad(checkpoint.seq, 'forged checkpoint signature');
    }
    if (firstRow !== null && firstRow < start) return this.bad(firstRow, `event precedes the checkpoint at event ${this.checkpointSeq} (inserted after pruning)`);
    return yield* this.walk(key, stored.settings.digestInterval, checkpoint?.hash ?? GENESIS_HASH);
  }

  private *walk(key: Buffer, interval: number, startHash: Buffer): Generator<void, VerifyResult> {
    const chunk = this.db.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    let expected = this.checkpointSeq + 1;
    let previous = startHash;
    let digestedThrough = this.checkpointSeq;
    // A checkpoint may fall inside a digest's range, so the first digest after one may start early.
    let digest = this.fetchDigest(digestedThrough);
    let problem = digest && this.digestProblem(key, digest, digestedThrough, this.checkpointSeq > 0);
    if (problem) return problem;
    let rows: EventRow[];
    do {
      rows = chunk.all(expected - 1, CHUNK_ROWS) as EventRow[];
      for (const row of rows) {
        const seq = row.seq;
        if (seq !== expected) return this.bad(expected, 'missing event (deleted row)');
        if (!sameBytes(row.prev_hash, previous)) return this.bad(seq, `broken link to event ${seq - 1} (rows reordered or replaced)`);
        if (typeof row.event_json !== 'string' || !sameBytes(row.hash, chainHash(previous, row.event_json, seq))) {
          return this.bad(seq, 'hash mismatch (edited row)');
        }
        if (!columnsMatch(row, row.event_json)) return this.bad(seq, 'indexed columns differ from the hashed event (edited row)');
        const hash = row.hash as Buffer;
        if (digest && digest.last_seq === seq) {
          if (!sameBytes(digest.last_hash, hash)) {
            const from = Math.max(digest.first_seq, this.checkpointSeq + 1);
            return this.bad(from, `chain does not match the signed digest for events ${digest.first_seq}-${seq} (rewritten without the digest key)`);
          }
          this.digests += 1;
          digestedThrough = seq;
          digest = this.fetchDigest(digestedThrough);
          problem = digest && this.digestProblem(key, digest, digestedThrough, false);
          if (problem) return problem;
        } else if (seq % interval === 0) {
          return this.bad(digestedThrough + 1, `no signed digest at event ${seq} (digest removed)`);
        }
        previous = hash;
        this.checked += 1;
        this.lastSeq = seq;
        this.lastHash = hash;
        expected += 1;
      }
      yield;
    } while (rows.length === CHUNK_ROWS);
    // A digest beyond the last row vouches for events that are no longer there: the tail was cut.
    if (digest) return this.bad(expected, `missing events ${expected}-${digest.last_seq} (deleted rows; a signed digest covers them)`);
    return this.result();
  }

  private fetchDigest(after: number): DigestRow | undefined {
    return this.nextDigest.get(after) as DigestRow | undefined;
  }

  private digestProblem(key: Buffer, digest: DigestRow, digestedThrough: number, first: boolean): VerifyResult | undefined {
    const tiles = first ? digest.first_seq <= digestedThrough + 1 : digest.first_seq === digestedThrough + 1;
    if (!tiles) return this.bad(digestedThrough + 1, `no signed digest covers events from ${digestedThrough + 1} (digest removed or altered)`);
    if (!Buffer.isBuffer(digest.last_hash) || !sameBytes(digest.mac, digestMac(key, digest.first_seq, digest.last_seq, digest.last_hash))) {
      return this.bad(Math.max(digest.first_seq, this.checkpointSeq + 1), `forged signature on the digest for events ${digest.first_seq}-${digest.last_seq}`);
    }
    return undefined;
  }

  private bad(seq: number, reason: string): VerifyResult {
    return { ...this.result(), ok: false, firstBad: { seq, reason } };
  }

  private result(): VerifyResult {
    return {
      ok: true,
      checked: this.checked,
      checkpointSeq: this.checkpointSeq,
      digests: this.digests,
      lastSeq: this.lastSeq,
      ...(this.lastHash ? { lastHash: this.lastHash.toString('hex') } : {}),
    };
  }
}

/** The columns are what queries filter on, so an edit there (the hash does not cover them) counts as tampering. */
function columnsMatch(row: EventRow, json: string): boolean {
  try {
    const expected = columnsOf(decodeEvent(json));
    return COLUMN_NAMES.every((name, i) => row[name] === expected[i]);
  } catch {
    return false;
  }
}
