import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_AUDIT } from '../../../../main/core/audit/auditEvent.js';
import { CryptoError } from '../../../../main/core/crypto/cryptoError.js';
import { KmsError, LocalKms, openKmsDatabase } from '../../../../main/core/keys/kms/index.js';
import { openMaterial, type SealedMaterial } from '../../../../main/core/keys/kms/keyMaterial.js';
import { ROOT_KEY, openFixture, type KmsFixture } from './kmsFixture.js';

let f: KmsFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

/** kms.db and its WAL as they are on disk right now. */
function fileBytes(): Buffer {
  return Buffer.concat([f.file, `${f.file}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
}

function plainMaterials(): Buffer[] {
  const rows = f.db.prepare('SELECT key_id AS keyId, material_id AS materialId, sealed FROM kms_key_materials').all() as { keyId: string; materialId: string; sealed: Buffer }[];
  return rows.map((r) => openMaterial(ROOT_KEY, r.keyId, r.materialId, r.sealed as SealedMaterial));
}

/** Each secret as raw bytes, hex and base64: the forms it could leak in. */
function forms(secret: Buffer): (Buffer | string)[] {
  return [secret, secret.toString('hex'), secret.toString('base64'), secret.toString('base64url')];
}

function leaks(haystack: Buffer | string, secrets: Buffer[]): boolean {
  return secrets.some((s) => forms(s).some((form) => (typeof haystack === 'string' ? haystack.includes(form.toString()) : haystack.includes(form))));
}

/** Uses and administers keys in every way, failures included; returns the data keys handed out and the errors seen. */
function workout(): { dataKeys: Buffer[]; errors: KmsError[] } {
  const dataKeys: Buffer[] = [];
  const errors: KmsError[] = [];
  const attempt = (run: () => unknown): void => {
    try {
      run();
    } catch (err) {
      if (!(err instanceof KmsError)) throw err;
      errors.push(err);
    }
  };
  const ctx = { 'aws:s3:arn': 'arn:aws:s3:::b/k' };
  const key = f.kms.createKey({ description: 'secret-free', alias: 'alias/w' });
  f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 });
  for (const keyId of [key.keyId, 'alias/w', 'alias/aws/s3']) {
    const made = f.kms.generateDataKey({ keyId, encryptionContext: ctx });
    dataKeys.push(made.plaintext);
    f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob, encryptionContext: ctx });
    attempt(() => f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob, encryptionContext: { other: 'x' } }));
    const garbled = Buffer.from(made.ciphertextBlob);
    garbled[70]! ^= 1;
    attempt(() => f.kms.decrypt({ ciphertextBlob: garbled, encryptionContext: ctx }));
  }
  f.kms.rotateKeyOnDemand({ keyId: key.keyId });
  f.clock.advanceDays(90);
  f.kms.runDueWork(f.clock.now);
  dataKeys.push(f.kms.generateDataKey({ keyId: key.keyId }).plaintext);
  f.kms.disableKey({ keyId: key.keyId });
  attempt(() => f.kms.generateDataKey({ keyId: key.keyId }));
  attempt(() => f.kms.disableKey({ keyId: f.kms.awsManagedKey('aws/s3').keyId }));
  attempt(() => f.kms.generateDataKey({ keyId: 'nope' }));
  return { dataKeys, errors };
}

describe('secrets', () => {
  it('never stores key material or data keys in plaintext in kms.db or its WAL', () => {
    const { dataKeys } = workout();
    const materials = plainMaterials();
    expect(materials.length).toBe(4);
    const bytes = fileBytes();
    expect(bytes.length).toBeGreaterThan(0);
    expect(leaks(bytes, materials)).toBe(false);
    expect(leaks(bytes, dataKeys)).toBe(false);
    f.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(leaks(readFileSync(f.file), [...materials, ...dataKeys])).toBe(false);
  });

  it('puts no data key or key material in any audit event or error message', () => {
    const { dataKeys, errors } = workout();
    const secrets = [...dataKeys, ...plainMaterials(), ROOT_KEY];
    expect(f.events.length).toBeGreaterThan(15);
    for (const event of f.events) expect(leaks(JSON.stringify(event), secrets)).toBe(false);
    expect(errors.length).toBeGreaterThanOrEqual(9);
    for (const err of errors) expect(leaks(`${err.code} ${err.message} ${err.stack}`, secrets)).toBe(false);
  });

  it('removes a deleted key\'s sealed material from the file, not only from the table', () => {
    const key = f.kms.createKey();
    f.kms.rotateKeyOnDemand({ keyId: key.keyId });
    const sealed = f.db.prepare('SELECT sealed FROM kms_key_materials WHERE key_id = ?').pluck().all(key.keyId) as Buffer[];
    f.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(sealed.every((s) => readFileSync(f.file).includes(s))).toBe(true);
    f.kms.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 });
    f.clock.advanceDays(7);
    f.kms.runDueWork(f.clock.now);
    const after = fileBytes();
    for (const s of sealed) expect(after.includes(s)).toBe(false);
  });

  it('refuses a LocalKms with another root key before it can seal anything', () => {
    f.kms.createKey();
    const db = openKmsDatabase(f.dir);
    try {
      expect(() => new LocalKms(db, { rootKey: Buffer.alloc(32, 1), region: 'us-east-1', audit: NO_AUDIT })).toThrow(CryptoError);
      expect(() => new LocalKms(db, { rootKey: Buffer.alloc(32, 1), region: 'us-east-1', audit: NO_AUDIT })).toThrow(/created under another root key/);
      expect(new LocalKms(db, { rootKey: ROOT_KEY, region: 'us-east-1', audit: NO_AUDIT }).listKeys()).toHaveLength(1);
    } finally {
      db.close();
    }
  });

  it('refuses to open materials with another root key', () => {
    f.kms.createKey();
    const row = f.db.prepare('SELECT key_id AS keyId, material_id AS materialId, sealed FROM kms_key_materials').get() as { keyId: string; materialId: string; sealed: Buffer };
    expect(() => openMaterial(Buffer.alloc(32, 1), row.keyId, row.materialId, row.sealed as SealedMaterial)).toThrow(/authentication/);
    // Bound to its key and material id: a row moved to another key does not open.
    expect(() => openMaterial(ROOT_KEY, `${row.keyId.startsWith('0') ? '1' : '0'}${row.keyId.slice(1)}`, row.materialId, row.sealed as SealedMaterial)).toThrow(/authentication/);
  });
});
