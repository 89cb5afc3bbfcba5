import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, expectKmsError, type KmsFixture } from './kmsFixture.js';

let f: KmsFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

const context = { 'aws:s3:arn': 'arn:aws:s3:::photos/2026/beach.jpg', team: 'family' };

describe('GenerateDataKey and Decrypt', () => {
  it('round-trips a 32-byte data key through its ciphertext blob', () => {
    const key = f.kms.createKey({ description: 'photos' });
    const made = f.kms.generateDataKey({ keyId: key.keyId, keySpec: 'AES_256', encryptionContext: context });
    expect(made.plaintext.length).toBe(32);
    expect(made.keyId).toBe(key.arn);
    expect(made.keyMaterialId).toBe(key.currentKeyMaterialId);
    expect(made.ciphertextBlob.includes(made.plaintext)).toBe(false);
    const opened = f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob, encryptionContext: { team: 'family', 'aws:s3:arn': 'arn:aws:s3:::photos/2026/beach.jpg' } });
    expect(opened.plaintext.equals(made.plaintext)).toBe(true);
    expect(opened.keyId).toBe(key.arn);
    expect(opened.keyMaterialId).toBe(made.keyMaterialId);
  });

  it('accepts the key by id, key ARN, alias name and alias ARN', () => {
    const key = f.kms.createKey({ alias: 'alias/photos' });
    const aliasArn = `arn:aws:kms:us-east-1:${f.kms.accountId}:alias/photos`;
    for (const keyId of [key.keyId, key.arn, 'alias/photos', aliasArn, key.keyId.toUpperCase()]) {
      const made = f.kms.generateDataKey({ keyId });
      expect(made.keyId).toBe(key.arn);
      expect(f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob, keyId }).plaintext.equals(made.plaintext)).toBe(true);
    }
  });

  it('refuses a different encryption context with InvalidCiphertextException', () => {
    const key = f.kms.createKey();
    const made = f.kms.generateDataKey({ keyId: key.keyId, encryptionContext: context });
    const others: Record<string, string>[] = [{}, { ...context, team: 'Family' }, { 'aws:s3:arn': context['aws:s3:arn'] }, { ...context, extra: '' }];
    for (const other of others) {
      expectKmsError(() => f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob, encryptionContext: other }), 'InvalidCiphertextException');
    }
    expectKmsError(() => f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob }), 'InvalidCiphertextException');
  });

  it('refuses a garbled, truncated or foreign blob with InvalidCiphertextException', () => {
    const key = f.kms.createKey();
    const blob = f.kms.generateDataKey({ keyId: key.keyId }).ciphertextBlob;
    const flips = [0, 1, 5, 16, 30, 50, 53, 60, 80, blob.length - 1];
    for (const at of flips) {
      const bad = Buffer.from(blob);
      bad[at]! ^= 0x04;
      expectKmsError(() => f.kms.decrypt({ ciphertextBlob: bad }), 'InvalidCiphertextException');
    }
    for (const bad of [blob.subarray(0, 60), Buffer.alloc(0), Buffer.alloc(blob.length), Buffer.from('not a blob')]) {
      expectKmsError(() => f.kms.decrypt({ ciphertextBlob: bad }), 'InvalidCiphertextException');
    }
  });

  it('decrypts data keys made before and after three rotations, each with the material it was made under', () => {
    const key = f.kms.createKey();
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 });
    const made = [f.kms.generateDataKey({ keyId: key.keyId, encryptionContext: context })];
    f.kms.rotateKeyOnDemand({ keyId: key.keyId });
    made.push(f.kms.generateDataKey({ keyId: key.keyId, encryptionContext: context }));
    f.clock.advanceDays(90);
    expect(f.kms.runDueWork(f.clock.now).rotated).toHaveLength(1);
    made.push(f.kms.generateDataKey({ keyId: key.keyId, encryptionContext: context }));
    f.kms.rotateKeyOnDemand({ keyId: key.keyId });
    made.push(f.kms.generateDataKey({ keyId: key.keyId, encryptionContext: context }));

    const materials = made.map((m) => m.keyMaterialId);
    expect(new Set(materials).size).toBe(4);
    expect(materials[0]).toBe(key.currentKeyMaterialId);
    expect(materials[3]).toBe(f.kms.describeKey({ keyId: key.keyId }).currentKeyMaterialId);
    for (const m of made) {
      const opened = f.kms.decrypt({ ciphertextBlob: m.ciphertextBlob, encryptionContext: context });
      expect(opened.plaintext.equals(m.plaintext)).toBe(true);
      expect(opened.keyMaterialId).toBe(m.keyMaterialId);
    }
  });

  it('refuses both operations on a disabled key with DisabledException, and works again once enabled', () => {
    const key = f.kms.createKey();
    const made = f.kms.generateDataKey({ keyId: key.keyId });
    f.kms.disableKey({ keyId: key.keyId });
    expectKmsError(() => f.kms.generateDataKey({ keyId: key.keyId }), 'DisabledException', `${key.arn} is disabled.`);
    expectKmsError(() => f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob }), 'DisabledException', `${key.arn} is disabled.`);
    f.kms.enableKey({ keyId: key.keyId });
    expect(f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob }).plaintext.equals(made.plaintext)).toBe(true);
  });

  it('refuses both operations on a key pending deletion with KMSInvalidStateException', () => {
    const key = f.kms.createKey();
    const made = f.kms.generateDataKey({ keyId: key.keyId });
    f.kms.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 });
    expectKmsError(() => f.kms.generateDataKey({ keyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`);
    expectKmsError(() => f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`);
  });

  it('answers IncorrectKeyException when Decrypt names another key than the blob', () => {
    const a = f.kms.createKey();
    const b = f.kms.createKey();
    const made = f.kms.generateDataKey({ keyId: a.keyId });
    expectKmsError(() => f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob, keyId: b.keyId }), 'IncorrectKeyException');
  });

  it('makes only AES_256 data keys', () => {
    const key = f.kms.createKey();
    expectKmsError(() => f.kms.generateDataKey({ keyId: key.keyId, keySpec: 'AES_128' }), 'UnsupportedOperationException');
    expectKmsError(() => f.kms.generateDataKey({ keyId: key.keyId, keySpec: 'AES_512' }), 'ValidationException', /enum value set: \[AES_256, AES_128\]/);
  });

  it('refuses an encryption context that is not a string-to-string map', () => {
    const key = f.kms.createKey();
    expectKmsError(() => f.kms.generateDataKey({ keyId: key.keyId, encryptionContext: { n: 1 } as never }), 'ValidationException');
  });

  it('answers NotFoundException for an unknown key', () => {
    const missing = '0b1c2d3e-4f50-4a6b-8c7d-8e9fa0b1c2d3';
    expectKmsError(() => f.kms.generateDataKey({ keyId: missing }), 'NotFoundException', `Key 'arn:aws:kms:us-east-1:${f.kms.accountId}:key/${missing}' does not exist`);
  });
});
