// A LocalKms over a real kms.db in a temp dir, with a clock the test moves and a sink that keeps every event.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent, AuditSink } from '../../../../main/core/audit/auditEvent.js';
import type { SqliteDatabase } from '../../../../main/core/db/openDatabase.js';
import { KMS_DB_FILE, KmsError, LocalKms, openKmsDatabase, type KmsErrorCode } from '../../../../main/core/keys/kms/index.js';
import { DAY_MS } from '../../../../main/core/keys/kms/schedules.js';

export const ROOT_KEY = Buffer.alloc(32, 0x5a);
export const START = new Date('2026-01-01T00:00:00.000Z');

export interface Clock {
  now: Date;
  advanceDays(days: number): Date;
  advanceMs(ms: number): Date;
}

export interface KmsFixture {
  dir: string;
  file: string;
  db: SqliteDatabase;
  kms: LocalKms;
  events: AuditEvent[];
  clock: Clock;
  /** Another LocalKms on its own connection to the same file, as another process would have. */
  open(region?: string, sink?: AuditSink): LocalKms;
  close(): void;
}

export function openFixture(region = 'us-east-1'): KmsFixture {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-kms-'));
  const events: AuditEvent[] = [];
  const sink: AuditSink = { record: (e) => void events.push(e) };
  const clock: Clock = {
    now: new Date(START),
    advanceDays(days) {
      return this.advanceMs(days * DAY_MS);
    },
    advanceMs(ms) {
      this.now = new Date(this.now.getTime() + ms);
      return this.now;
    },
  };
  const dbs: SqliteDatabase[] = [];
  const open = (r = region, s: AuditSink = sink): LocalKms => {
    const db = openKmsDatabase(dir);
    dbs.push(db);
    return new LocalKms(db, { rootKey: ROOT_KEY, region: r, audit: s, now: () => clock.now });
  };
  const kms = open();
  return {
    dir,
    file: join(dir, KMS_DB_FILE),
    db: dbs[0]!,
    kms,
    events,
    clock,
    open,
    close() {
      for (const db of dbs) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The KmsError `run` throws; fails the test when it throws nothing or something else. */
export function kmsErrorOf(run: () => unknown): KmsError {
  try {
    run();
  } catch (err) {
    if (err instanceof KmsError) return err;
    throw err;
  }
  throw new Error('expected a KmsError, but the call succeeded');
}

export function expectKmsError(run: () => unknown, code: KmsErrorCode, message?: string | RegExp): KmsError {
  const err = kmsErrorOf(run);
  if (err.code !== code) throw new Error(`expected ${code}, got ${err.code}: ${err.message}`);
  if (typeof message === 'string' && err.message !== message) throw new Error(`expected message '${message}', got '${err.message}'`);
  if (message instanceof RegExp && !message.test(err.message)) throw new Error(`expected message matching ${message}, got '${err.message}'`);
  return err;
}
