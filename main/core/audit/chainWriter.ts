// Appends encoded events to the chain in one write transaction per batch, with a signed digest at every multiple of K.
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from '../db/openDatabase.js';
import type { EncodedEvent } from './eventCodec.js';
import { COLUMN_NAMES } from './eventCodec.js';
import { GENESIS_HASH, chainHash, digestMac } from './hashChain.js';

interface Tail {
  seq: number;
  hash: Buffer;
  /** The last seq a digest (or the checkpoint) covers; the next digest starts after it. */
  digestedThrough: number;
}

/**
 * Several processes append to one file (the store, the CLI). Each batch runs in BEGIN IMMEDIATE
 * and reads the tail only after taking the write lock, so whoever commits second chains onto
 * whoever committed first and the chain stays one line.
 */
export class ChainWriter {
  private readonly lastEvent: Database.Statement;
  private readonly lastCheckpoint: Database.Statement;
  private readonly lastDigest: Database.Statement;
  private readonly insertEvent: Database.Statement;
  private readonly insertDigest: Database.Statement;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly digestKey: Buffer,
    private readonly digestInterval: number,
    private readonly now: () => Date,
  ) {
    this.lastEvent = db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1');
    this.lastCheckpoint = db.prepare('SELECT seq, hash FROM checkpoints ORDER BY seq DESC LIMIT 1');
    this.lastDigest = db.prepare('SELECT max(last_seq) FROM digests').pluck();
    const columns = [...COLUMN_NAMES, 'event_json', 'prev_hash', 'hash'];
    this.insertEvent = db.prepare(`INSERT INTO events (seq, ${columns.join(', ')}) VALUES (?${', ?'.repeat(columns.length)})`);
    this.insertDigest = db.prepare('INSERT INTO digests (last_seq, first_seq, last_hash, created_at, mac) VALUES (?, ?, ?, ?, ?)');
  }

  /** Appends the batch atomically; throws (and writes nothing) if SQLite cannot commit. */
  append(batch: readonly EncodedEvent[]): { firstSeq: number; lastSeq: number } {
    return this.db.transaction(() => {
      const tail = this.tail();
      let { seq, hash, digestedThrough } = tail;
      for (const event of batch) {
        seq += 1;
        const next = chainHash(hash, event.json, seq);
        this.insertEvent.run(seq, ...event.columns, event.json, hash, next);
        hash = next;
        if (seq % this.digestInterval === 0) {
          this.writeDigest(digestedThrough + 1, seq, hash);
          digestedThrough = seq;
        }
      }
      return { firstSeq: tail.seq + 1, lastSeq: seq };
    }).immediate();
  }

  /** Signs whatever the last digest does not cover yet (a writer closing); false when nothing was left. */
  sealTail(): boolean {
    return this.db.transaction(() => {
      const tail = this.tail();
      if (tail.seq <= tail.digestedThrough) return false;
      this.writeDigest(tail.digestedThrough + 1, tail.seq, tail.hash);
      return true;
    }).immediate();
  }

  private tail(): Tail {
    const event = this.lastEvent.get() as { seq: number; hash: Buffer } | undefined;
    const checkpoint = this.lastCheckpoint.get() as { seq: number; hash: Buffer } | undefined;
    const digested = Math.max((this.lastDigest.get() as number | null) ?? 0, checkpoint?.seq ?? 0);
    // After a prune that removed every event, the chain continues from the checkpoint.
    const last = event && (!checkpoint || event.seq > checkpoint.seq) ? event : checkpoint;
    return { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH, digestedThrough: digested };
  }

  private writeDigest(firstSeq: number, lastSeq: number, lastHash: Buffer): void {
    this.insertDigest.run(lastSeq, firstSeq, lastHash, this.now().getTime(), digestMac(this.digestKey, firstSeq, lastSeq, lastHash));
  }
}
