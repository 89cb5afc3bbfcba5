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
  /**
   * SQLite's page cache for this connection, in KiB. Unset keeps the build's default, which this
   * SQLite build raises to 16 MiB per connection; a database with a small working set (an
   * append-only log, a few keys) or one the OS page cache serves well asks for less.
   */
  cacheKiB?: number;
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
    if (options.cacheKiB !== undefined) db.pragma(`cache_size = -${Math.max(64, Math.floor(options.cacheKiB))}`);
    runMigrations(db, options.migrations, file);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
