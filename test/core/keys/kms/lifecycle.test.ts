import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../../main/core/keys/kms/schedules.js';
import { START, expectKmsError, openFixture, type KmsFixture } from './kmsFixture.js';

let f: KmsFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

describe('key lifecycle', () => {
  it('creates an Enabled customer key with AWS defaults and a fixed 12-digit account', () => {
    const key = f.kms.createKey({ description: 'photos' });
    expect(key).toMatchObject({ description: 'photos', keyManager: 'CUSTOMER', keyState: 'Enabled', enabled: true, region: 'us-east-1', deletionDate: undefined });
    expect(key.accountId).toMatch(/^\d{12}$/);
    expect(key.arn).toBe(`arn:aws:kms:us-east-1:${key.accountId}:key/${key.keyId}`);
    expect(key.creationDate).toEqual(START);
    expect(key.currentKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).keyRotationEnabled).toBe(false);
    expect(f.kms.describeKey({ keyId: key.arn })).toEqual(key);
    expect(f.kms.listKeys()).toEqual([{ keyId: key.keyId, keyArn: key.arn }]);
  });

  it('refuses a description longer than 8192 characters', () => {
    expectKmsError(() => f.kms.createKey({ description: 'x'.repeat(8193) }), 'ValidationException');
    expect(f.kms.listKeys()).toEqual([]);
  });

  it('disables and enables, each idempotent', () => {
    const key = f.kms.createKey();
    f.kms.disableKey({ keyId: key.keyId });
    f.kms.disableKey({ keyId: key.keyId });
    expect(f.kms.describeKey({ keyId: key.keyId })).toMatchObject({ keyState: 'Disabled', enabled: false });
    f.kms.enableKey({ keyId: key.keyId });
    f.kms.enableKey({ keyId: key.keyId });
    expect(f.kms.describeKey({ keyId: key.keyId }).keyState).toBe('Enabled');
  });

  it('schedules deletion with a 7-30 day window (default 30), making the key unusable at once', () => {
    const key = f.kms.createKey();
    expectKmsError(() => f.kms.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 6 }), 'ValidationException', "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7");
    expectKmsError(() => f.kms.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 31 }), 'ValidationException', /less than or equal to 30/);
    const scheduled = f.kms.scheduleKeyDeletion({ keyId: key.keyId });
    expect(scheduled).toEqual({ keyId: key.arn, deletionDate: new Date(START.getTime() + 30 * DAY_MS), keyState: 'PendingDeletion', pendingWindowInDays: 30 });
    expect(f.kms.describeKey({ keyId: key.keyId })).toMatchObject({ keyState: 'PendingDeletion', enabled: false, deletionDate: scheduled.deletionDate, pendingDeletionWindowInDays: 30 });
    expectKmsError(() => f.kms.scheduleKeyDeletion({ keyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`);
    expectKmsError(() => f.kms.enableKey({ keyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`);
    expectKmsError(() => f.kms.disableKey({ keyId: key.keyId }), 'KMSInvalidStateException');
  });

  it('cancels deletion back to Disabled, never straight to Enabled', () => {
    const key = f.kms.createKey();
    expectKmsError(() => f.kms.cancelKeyDeletion({ keyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is not pending deletion.`);
    f.kms.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 });
    expect(f.kms.cancelKeyDeletion({ keyId: key.keyId })).toEqual({ keyId: key.arn });
    expect(f.kms.describeKey({ keyId: key.keyId })).toMatchObject({ keyState: 'Disabled', deletionDate: undefined, pendingDeletionWindowInDays: undefined });
    expectKmsError(() => f.kms.generateDataKey({ keyId: key.keyId }), 'DisabledException');
    f.kms.enableKey({ keyId: key.keyId });
    expect(f.kms.generateDataKey({ keyId: key.keyId }).plaintext).toHaveLength(32);
  });

  it('deletes the key, its aliases and all its material once the window has ended, not before', () => {
    const key = f.kms.createKey({ alias: 'alias/doomed' });
    f.kms.createAlias({ aliasName: 'alias/doomed-too', targetKeyId: key.keyId });
    const made = f.kms.generateDataKey({ keyId: 'alias/doomed' });
    f.kms.rotateKeyOnDemand({ keyId: key.keyId });
    const survivor = f.kms.createKey({ alias: 'alias/survivor' });
    f.kms.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 });

    f.clock.advanceMs(7 * DAY_MS - 1);
    expect(f.kms.runDueWork(f.clock.now)).toEqual({ rotated: [], deleted: [] });
    expect(f.kms.describeKey({ keyId: key.keyId }).keyState).toBe('PendingDeletion');

    f.clock.advanceMs(1);
    expect(f.kms.runDueWork(f.clock.now)).toEqual({ rotated: [], deleted: [key.arn] });
    expectKmsError(() => f.kms.describeKey({ keyId: key.keyId }), 'NotFoundException', `Key 'arn:aws:kms:us-east-1:${f.kms.accountId}:key/${key.keyId}' does not exist`);
    expectKmsError(() => f.kms.describeKey({ keyId: 'alias/doomed' }), 'NotFoundException', `Alias arn:aws:kms:us-east-1:${f.kms.accountId}:alias/doomed is not found.`);
    expect(f.kms.listAliases().map((a) => a.aliasName)).toEqual(['alias/aws/s3', 'alias/survivor']);
    expect(f.db.prepare('SELECT count(*) FROM kms_key_materials WHERE key_id = ?').pluck().get(key.keyId)).toBe(0);
    expectKmsError(() => f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob }), 'NotFoundException', `Key '${key.arn}' does not exist`);
    expect(f.kms.describeKey({ keyId: survivor.keyId }).keyState).toBe('Enabled');
    // Nothing is left to do, and a second run deletes nothing.
    expect(f.kms.runDueWork(f.clock.now)).toEqual({ rotated: [], deleted: [] });
  });
});
