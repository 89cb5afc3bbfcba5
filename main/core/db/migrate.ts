// Numbered schema migrations tracked in PRAGMA user_version, each applied in its own transaction.
import type Database from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3... in order; the file's user_version after this migration. */
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

export class SchemaTooNewError extends Error {
  constructor(file: string, found: number, known: number) {
    super(`${file} has schema version ${found}, newer than this Coffer understands (${known}); upgrade Coffer to open it`);
    this.name = 'SchemaTooNewError';
  }
}

export function runMigrations(db: Database.Database, migrations: readonly Migration[], label: string): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list for ${label} is not numbered 1..n at ${m.name}`);
  });
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  // Never touch a file written by a newer Coffer: refusing is the only way nothing gets lost.
  if (current > latest) throw new SchemaTooNewError(label, current, latest);
  for (const migration of migrations.slice(current)) {
    db.transaction(() => {
      // Several processes may open a new file at once: re-read the version under the write lock
      // (IMMEDIATE) so only the first applies each migration and the others see it done.
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
