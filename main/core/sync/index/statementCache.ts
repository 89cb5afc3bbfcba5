// Prepares each SQL text once per database and hands back the same statement on every later call.
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from '../../db/openDatabase.js';

/** Modes set with raw() or pluck() stick to the cached statement: use each SQL text one way only. */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly db: SqliteDatabase) {}

  /** Throws SqliteError when the SQL does not compile (a programming error, caught by the tests). */
  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
