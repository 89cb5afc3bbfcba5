// The log's one settings row: format, log id and digest interval, signed so a wrong root key or an edit shows.
import { randomBytes } from 'node:crypto';
import type { SqliteDatabase } from '../db/openDatabase.js';
import { canonicalJson } from './canonicalJson.js';
import { deriveDigestKey, sameBytes, settingsMac } from './hashChain.js';

export const AUDIT_FORMAT = 1;

export interface LogSettings {
  format: number;
  /** Random, per log: the digest key's derivation context. */
  logId: string;
  /** A signed digest is written at every multiple of this sequence number (and when a writer closes). */
  digestInterval: number;
  createdAt: string;
}

export interface StoredSettings {
  json: string;
  mac: Buffer;
  /** undefined when the JSON does not parse into settings (the row was edited). */
  settings: LogSettings | undefined;
}

/** The root key opens this log's settings, or the settings were not written with it. */
export class AuditKeyError extends Error {
  constructor(message = 'the audit log was signed with a different root key (or its settings were altered)') {
    super(message);
    this.name = 'AuditKeyError';
  }
}

export function readSettings(db: SqliteDatabase): StoredSettings | undefined {
  const row = db.prepare('SELECT json, mac FROM settings WHERE id = 1').get() as { json: string; mac: Buffer } | undefined;
  if (!row) return undefined;
  return { json: row.json, mac: row.mac, settings: parseSettings(row.json) };
}

/** The digest key when the settings are authentic under rootKey; undefined otherwise. */
export function authenticSettingsKey(stored: StoredSettings, rootKey: Buffer): Buffer | undefined {
  if (!stored.settings) return undefined;
  const key = deriveDigestKey(rootKey, stored.settings.logId);
  return sameBytes(stored.mac, settingsMac(key, stored.json)) ? key : undefined;
}

/**
 * Writes the settings if this is a new log (several processes may race to; the write lock picks
 * one), then checks them under rootKey. AuditKeyError when they do not verify: appending with
 * another key would produce digests no one could check.
 */
export function ensureSettings(
  db: SqliteDatabase,
  rootKey: Buffer,
  digestInterval: number,
  now: () => Date,
): { settings: LogSettings; digestKey: Buffer } {
  if (!Number.isSafeInteger(digestInterval) || digestInterval < 1) throw new RangeError('digestInterval must be a positive integer');
  // Only a new log needs the write lock; an existing one is just read.
  if (!readSettings(db)) db.transaction(() => {
    if (readSettings(db)) return;
    const settings: LogSettings = { format: AUDIT_FORMAT, logId: randomBytes(16).toString('hex'), digestInterval, createdAt: now().toISOString() };
    const json = canonicalJson(settings);
    db.prepare('INSERT INTO settings (id, json, mac) VALUES (1, ?, ?)').run(json, settingsMac(deriveDigestKey(rootKey, settings.logId), json));
  }).immediate();
  const stored = readSettings(db)!;
  const digestKey = authenticSettingsKey(stored, rootKey);
  if (!digestKey || !stored.settings) throw new AuditKeyError();
  if (stored.settings.format !== AUDIT_FORMAT) throw new Error(`audit log format ${stored.settings.format} is not supported by this Coffer`);
  return { settings: stored.settings, digestKey };
}

function parseSettings(json: string): LogSettings | undefined {
  try {
    const value = JSON.parse(json) as Partial<LogSettings>;
    if (typeof value.logId !== 'string' || typeof value.format !== 'number' || typeof value.createdAt !== 'string') return undefined;
    if (!Number.isSafeInteger(value.digestInterval) || (value.digestInterval ?? 0) < 1) return undefined;
    return value as LogSettings;
  } catch {
    return undefined;
  }
}
