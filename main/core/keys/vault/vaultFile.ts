// The vault's SQLite file: where it lives, opening it with damage told apart from absence, and installing a new one atomically.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type SqliteDatabase } from '../../db/openDatabase.js';
import { vaultMigrations } from './migrations/index.js';
import { VaultCorruptError, VaultExistsError, VaultMissingError } from './vaultErrors.js';

export const VAULT_FILE = 'vault.sqlite';
/** A running agent and the CLI may share the file; wait for the other's write lock rather than fail. */
const BUSY_TIMEOUT_MS = 15_000;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const DAMAGE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

export function vaultPath(dataDir: string): string {
  return join(resolve(dataDir), VAULT_FILE);
}

/** Runs `work`, turning SQLite's "not a database" and "malformed" into a VaultCorruptError naming the file. */
export function withDamageCheck<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (DAMAGE_CODES.has((err as { code?: string }).code ?? '')) throw new VaultCorruptError(`${file} is not a readable SQLite database`, { cause: err });
    throw err;
  }
}

function hasSqliteHeader(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens an existing vault file, migrated to the newest schema. Nothing is written to a file that
 * is refused: VaultMissingError if absent, VaultCorruptError if it is not SQLite or is SQLite
 * without a vault schema (it is looked at read-only first, so another program's database is never
 * migrated), SchemaTooNewError if a newer Coffer wrote it.
 */
export function openVaultDatabase(file: string): SqliteDatabase {
  if (!existsSync(file)) throw new VaultMissingError(file);
  if (!hasSqliteHeader(file)) throw new VaultCorruptError(`${file} is not a SQLite database`);
  const version = withDamageCheck(file, () => {
    const probe = new Database(file, { fileMustExist: true });
    try {
      return probe.pragma('user_version', { simple: true }) as number;
    } finally {
      probe.close();
    }
  });
  if (version === 0) throw new VaultCorruptError(`${file} is a SQLite database but not a Coffer vault`);
  return withDamageCheck(file, () => openDatabase(file, { migrations: vaultMigrations, busyTimeoutMs: BUSY_TIMEOUT_MS }));
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename durable; some systems (Windows) cannot open a directory, and there it is skipped. */
function fsyncDirectory(dir: string): void {
  try {
    fsyncPath(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES') throw err;
  }
}

function removeWithSidecars(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Folds a vault's write-ahead log into it and removes the log, so a file renamed over it never
 * meets a stale log (SQLite would replay it onto the new file). A damaged file is left for the
 * rename to replace.
 */
function retire(file: string): void {
  if (!existsSync(file)) return;
  try {
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // Unreadable: it is being replaced, and its log with it.
  }
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
}

let installCounter = 0;

/**
 * Builds a complete vault in a temporary file beside the final one (mode 0600, one transaction,
 * fsynced) and only then puts it in place, so a crash never leaves a half-made vault. Without
 * `replace`, an existing vault wins (VaultExistsError, nothing changed); with it, the old file is
 * replaced in one rename (stop any agent using it first).
 */
export function installVaultFile(dataDir: string, build: (db: SqliteDatabase) => void, replace = false): string {
  const final = vaultPath(dataDir);
  if (!replace && existsSync(final)) throw new VaultExistsError(final);
  installCounter += 1;
  const temp = join(resolve(dataDir), `.${VAULT_FILE}.${process.pid}.${installCounter}.tmp`);
  writeFileSync(temp, '', { mode: 0o600, flag: 'wx' });
  try {
    const db = openDatabase(temp, { migrations: vaultMigrations });
    try {
      db.transaction(() => build(db)).immediate();
    } finally {
      db.close();
    }
    fsyncPath(temp);
    if (replace) {
      retire(final);
      renameSync(temp, final);
    } else {
      placeWithoutOverwrite(temp, final);
    }
    fsyncDirectory(resolve(dataDir));
    return final;
  } finally {
    removeWithSidecars(temp);
  }
}

/** A hard link fails if the name exists, so two racing inits cannot both win; rename where links are unsupported. */
function placeWithoutOverwrite(temp: string, final: string): void {
  try {
    linkSync(temp, final);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new VaultExistsError(final);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    if (existsSync(final)) throw new VaultExistsError(final);
    renameSync(temp, final);
  }
}
