// Every SQL statement of the KMS database, mapping rows to records; no rules live here, only storage.
import type { SqliteDatabase } from '../../db/openDatabase.js';
import type { SealedMaterial } from './keyMaterial.js';
import type { KeyManager, KeyState, RotationType } from './kmsTypes.js';

/** A key as stored. Times are milliseconds since the epoch. */
export interface KeyRow {
  keyId: string;
  region: string;
  description: string;
  keyManager: KeyManager;
  createdAt: number;
  state: KeyState;
  deletionAt: number | null;
  pendingWindowDays: number | null;
  rotationEnabled: boolean;
  rotationPeriodDays: number | null;
  nextRotationAt: number | null;
}

export interface MaterialRow {
  keyId: string;
  seq: number;
  materialId: string;
  createdAt: number;
  rotationType: RotationType | null;
  sealed: SealedMaterial;
}

export interface AliasRow {
  region: string;
  aliasName: string;
  keyId: string;
  createdAt: number;
}

const KEY_COLUMNS = `key_id AS keyId, region, description, key_manager AS keyManager, created_at AS createdAt, state,
  deletion_at AS deletionAt, pending_window_days AS pendingWindowDays, rotation_enabled AS rotationEnabled,
  rotation_period_days AS rotationPeriodDays, next_rotation_at AS nextRotationAt`;
const MATERIAL_COLUMNS = 'key_id AS keyId, seq, material_id AS materialId, created_at AS createdAt, rotation_type AS rotationType, sealed';
const ALIAS_COLUMNS = 'region, alias_name AS aliasName, key_id AS keyId, created_at AS createdAt';

function toKey(row: unknown): KeyRow | undefined {
  if (row === undefined) return undefined;
  const r = row as Omit<KeyRow, 'rotationEnabled'> & { rotationEnabled: number };
  return { ...r, rotationEnabled: r.rotationEnabled === 1 };
}

/**
 * Nothing is cached: the store and `coffer kms` share the file, so every read goes to SQLite
 * and every change another process made is seen on the next call.
 */
export class KmsRepository {
  constructor(readonly db: SqliteDatabase) {}

  /** Runs `work` in a write transaction taken up front (BEGIN IMMEDIATE), so checks and writes cannot interleave with another process. */
  write<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** A consistent snapshot for multi-statement reads. */
  read<T>(work: () => T): T {
    return this.db.transaction(work).deferred();
  }

  setting(name: string): string | undefined {
    return this.db.prepare('SELECT value FROM kms_settings WHERE name = ?').pluck().get(name) as string | undefined;
  }

  /** Keeps an existing value: the first process to write wins, later ones read it back. */
  setSettingIfAbsent(name: string, value: string): void {
    this.db.prepare('INSERT OR IGNORE INTO kms_settings (name, value) VALUES (?, ?)').run(name, value);
  }

  key(keyId: string): KeyRow | undefined {
    return toKey(this.db.prepare(`SELECT ${KEY_COLUMNS} FROM kms_keys WHERE key_id = ?`).get(keyId));
  }

  keysInRegion(region: string): KeyRow[] {
    const rows = this.db.prepare(`SELECT ${KEY_COLUMNS} FROM kms_keys WHERE region = ? ORDER BY created_at, key_id`).all(region);
    return rows.map((r) => toKey(r)!);
  }

  insertKey(k: KeyRow): void {
    this.db
      .prepare(
        `INSERT INTO kms_keys (key_id, region, description, key_manager, created_at, state, deletion_at, pending_window_days,
           rotation_enabled, rotation_period_days, next_rotation_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(k.keyId, k.region, k.description, k.keyManager, k.createdAt, k.state, k.deletionAt, k.pendingWindowDays, k.rotationEnabled ? 1 : 0, k.rotationPeriodDays, k.nextRotationAt);
  }

  setState(keyId: string, state: KeyState, deletionAt: number | null = null, pendingWindowDays: number | null = null): void {
    this.db.prepare('UPDATE kms_keys SET state = ?, deletion_at = ?, pending_window_days = ? WHERE key_id = ?').run(state, deletionAt, pendingWindowDays, keyId);
  }

  setRotation(keyId: string, enabled: boolean, periodDays: number | null, nextAt: number | null): void {
    this.db
      .prepare('UPDATE kms_keys SET rotation_enabled = ?, rotation_period_days = ?, next_rotation_at = ? WHERE key_id = ?')
      .run(enabled ? 1 : 0, periodDays, nextAt, keyId);
  }

  /** Deletes the key; its materials and aliases go with it (ON DELETE CASCADE). */
  deleteKey(keyId: string): void {
    this.db.prepare('DELETE FROM kms_keys WHERE key_id = ?').run(keyId);
  }

  currentMaterial(keyId: string): MaterialRow | undefined {
    return this.db.prepare(`SELECT ${MATERIAL_COLUMNS} FROM kms_key_materials WHERE key_id = ? ORDER BY seq DESC LIMIT 1`).get(keyId) as MaterialRow | undefined;
  }

  material(keyId: string, materialId: string): MaterialRow | undefined {
    return this.db.prepare(`SELECT ${MATERIAL_COLUMNS} FROM kms_key_materials WHERE key_id = ? AND material_id = ?`).get(keyId, materialId) as MaterialRow | undefined;
  }

  /** Oldest first. */
  materials(keyId: string): MaterialRow[] {
    return this.db.prepare(`SELECT ${MATERIAL_COLUMNS} FROM kms_key_materials WHERE key_id = ? ORDER BY seq`).all(keyId) as MaterialRow[];
  }

  insertMaterial(m: MaterialRow): void {
    this.db
      .prepare('INSERT INTO kms_key_materials (key_id, seq, material_id, created_at, rotation_type, sealed) VALUES (?, ?, ?, ?, ?, ?)')
      .run(m.keyId, m.seq, m.materialId, m.createdAt, m.rotationType, m.sealed);
  }

  rotationCount(keyId: string, type: RotationType): number {
    return this.db.prepare('SELECT count(*) FROM kms_key_materials WHERE key_id = ? AND rotation_type = ?').pluck().get(keyId, type) as number;
  }

  alias(region: string, aliasName: string): AliasRow | undefined {
    return this.db.prepare(`SELECT ${ALIAS_COLUMNS} FROM kms_aliases WHERE region = ? AND alias_name = ?`).get(region, aliasName) as AliasRow | undefined;
  }

  aliasesInRegion(region: string): AliasRow[] {
    return this.db.prepare(`SELECT ${ALIAS_COLUMNS} FROM kms_aliases WHERE region = ? ORDER BY alias_name`).all(region) as AliasRow[];
  }

  aliasesOfKey(keyId: string): AliasRow[] {
    return this.db.prepare(`SELECT ${ALIAS_COLUMNS} FROM kms_aliases WHERE key_id = ? ORDER BY alias_name`).all(keyId) as AliasRow[];
  }

  insertAlias(a: AliasRow): void {
    this.db.prepare('INSERT INTO kms_aliases (region, alias_name, key_id, created_at) VALUES (?, ?, ?, ?)').run(a.region, a.aliasName, a.keyId, a.createdAt);
  }

  deleteAlias(region: string, aliasName: string): void {
    this.db.prepare('DELETE FROM kms_aliases WHERE region = ? AND alias_name = ?').run(region, aliasName);
  }

  /** Enabled keys whose automatic rotation date has come (disabled and pending keys do not rotate). */
  dueRotations(nowMs: number): KeyRow[] {
    const rows = this.db
      .prepare(`SELECT ${KEY_COLUMNS} FROM kms_keys WHERE state = 'Enabled' AND rotation_enabled = 1 AND next_rotation_at <= ? ORDER BY next_rotation_at`)
      .all(nowMs);
    return rows.map((r) => toKey(r)!);
  }

  dueDeletions(nowMs: number): KeyRow[] {
    const rows = this.db.prepare(`SELECT ${KEY_COLUMNS} FROM kms_keys WHERE state = 'PendingDeletion' AND deletion_at <= ? ORDER BY deletion_at`).all(nowMs);
    return rows.map((r) => toKey(r)!);
  }
}
