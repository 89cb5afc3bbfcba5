// Opens a SQLite file the way every Coffer database is opened: WAL, full fsync, migrations applied.
import Database from 'better-sqlite3';
import { runMigrations, type Migration } from './migrate.js';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** Numbered schema migrations; the file is moved to the newest one. */
  migrations: readonly Migration[];
  /** Milliseconds to wait for another process's write lock (the CLI and a running store share files). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

export function openDatabase(file: string, options: OpenDatabaseOptions): SqliteDatabase {
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // FULL: a commit is on disk when it returns; a power cut never loses an acknowledged write.
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    runMigrations(db, options.migrations, file);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
