import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../../main/core/keys/kms/schedules.js';
import { START, expectKmsError, openFixture, type KmsFixture } from './kmsFixture.js';

let f: KmsFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

describe('the AWS managed key aws/s3', () => {
  it('does not exist until first used; ListAliases shows its alias without a target meanwhile', () => {
    expect(f.kms.listKeys()).toEqual([]);
    expect(f.kms.listAliases()).toEqual([{ aliasName: 'alias/aws/s3', aliasArn: `arn:aws:kms:us-east-1:${f.kms.accountId}:alias/aws/s3`, targetKeyId: undefined, creationDate: undefined }]);
    expectKmsError(() => f.kms.describeKey({ keyId: 'alias/aws/s3' }), 'NotFoundException', /alias\/aws\/s3 is not found\./);
  });

  it('is created once, on first use, with AWS description, manager and yearly rotation', () => {
    const made = f.kms.generateDataKey({ keyId: 'alias/aws/s3', encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/k' } });
    const key = f.kms.awsManagedKey('aws/s3');
    expect(made.keyId).toBe(key.arn);
    expect(key).toMatchObject({ keyManager: 'AWS', keyState: 'Enabled', description: 'Default key that protects my S3 objects when no other key is defined' });
    expect(f.kms.describeKey({ keyId: 'alias/aws/s3' })).toEqual(key);
    expect(f.kms.resolveKey('alias/aws/s3')).toEqual({ ok: true, key });
    expect(f.kms.listKeys()).toHaveLength(1);
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId })).toEqual({ keyId: key.arn, keyRotationEnabled: true, rotationPeriodInDays: 365, nextRotationDate: new Date(START.getTime() + 365 * DAY_MS) });
    f.clock.advanceDays(365);
    expect(f.kms.runDueWork(f.clock.now).rotated).toEqual([{ keyId: key.arn, keyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob, encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/k' } }).plaintext.equals(made.plaintext)).toBe(true);
  });

  it('refuses every administration with AccessDeniedException', () => {
    const key = f.kms.awsManagedKey('aws/s3');
    const actor = { principal: 'AKIATEST' };
    const denied = (action: string): RegExp => new RegExp(`^User: AKIATEST is not authorized to perform: kms:${action} on resource: ${key.arn.replaceAll('/', '\\/')} because no resource-based policy allows the kms:${action} action$`);
    expectKmsError(() => f.kms.disableKey({ keyId: key.keyId }, actor), 'AccessDeniedException', denied('DisableKey'));
    expectKmsError(() => f.kms.enableKey({ keyId: key.keyId }, actor), 'AccessDeniedException', denied('EnableKey'));
    expectKmsError(() => f.kms.scheduleKeyDeletion({ keyId: key.keyId }, actor), 'AccessDeniedException', denied('ScheduleKeyDeletion'));
    expectKmsError(() => f.kms.cancelKeyDeletion({ keyId: key.keyId }, actor), 'AccessDeniedException', denied('CancelKeyDeletion'));
    expectKmsError(() => f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 }, actor), 'AccessDeniedException', denied('EnableKeyRotation'));
    expectKmsError(() => f.kms.disableKeyRotation({ keyId: key.keyId }, actor), 'AccessDeniedException', denied('DisableKeyRotation'));
    expectKmsError(() => f.kms.rotateKeyOnDemand({ keyId: key.keyId }, actor), 'AccessDeniedException', denied('RotateKeyOnDemand'));
    expectKmsError(() => f.kms.createAlias({ aliasName: 'alias/mine', targetKeyId: key.keyId }, actor), 'AccessDeniedException', denied('CreateAlias'));
    expectKmsError(() => f.kms.deleteAlias({ aliasName: 'alias/aws/s3' }, actor), 'NotAuthorizedException');
    expect(f.kms.describeKey({ keyId: key.keyId })).toEqual(key);
    expect(f.events.filter((e) => e.outcome === 'denied')).toHaveLength(9);
  });

  it('is one key per region', () => {
    const east = f.kms.awsManagedKey('aws/s3');
    const west = f.open('us-west-2').awsManagedKey('aws/s3');
    expect(west.keyId).not.toBe(east.keyId);
    expect(west.arn).toBe(`arn:aws:kms:us-west-2:${f.kms.accountId}:key/${west.keyId}`);
    expect(f.kms.awsManagedKey('aws/s3').keyId).toBe(east.keyId);
  });
});
