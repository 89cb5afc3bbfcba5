import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectKmsError, openFixture, type KmsFixture } from './kmsFixture.js';

let f: KmsFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

const actor = { principal: 'AKIAEXAMPLE', sourceIp: '127.0.0.1', userAgent: 'aws-sdk-js/3', requestId: 'req-1' };
const context = { 'aws:s3:arn': 'arn:aws:s3:::b/k' };

describe('audit events', () => {
  it('records GenerateDataKey and Decrypt as CloudTrail-shaped kms events', () => {
    const key = f.kms.createKey();
    f.events.length = 0;
    const made = f.kms.generateDataKey({ keyId: key.keyId, encryptionContext: context }, actor);
    f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob, encryptionContext: context }, actor);
    expect(f.events).toHaveLength(2);
    const [gen, dec] = f.events;
    expect(gen).toMatchObject({ category: 'kms', operation: 'GenerateDataKey', outcome: 'success', principal: 'AKIAEXAMPLE', sourceIp: '127.0.0.1', userAgent: 'aws-sdk-js/3', requestId: 'req-1', keyId: key.arn, keyVersion: made.keyMaterialId, time: f.clock.now });
    expect(gen!.details).toMatchObject({
      eventVersion: '1.11',
      eventTime: '2026-01-01T00:00:00Z',
      eventSource: 'kms.amazonaws.com',
      eventName: 'GenerateDataKey',
      awsRegion: 'us-east-1',
      requestParameters: { keyId: key.keyId, keySpec: 'AES_256', encryptionContext: context },
      responseElements: null,
      additionalEventData: { keyMaterialId: made.keyMaterialId },
      requestID: 'req-1',
      readOnly: true,
      resources: [{ ARN: key.arn, accountId: f.kms.accountId, type: 'AWS::KMS::Key' }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: f.kms.accountId,
      eventCategory: 'Management',
    });
    expect(gen!.details!['eventID']).toMatch(/^[0-9a-f-]{36}$/);
    expect(dec).toMatchObject({ category: 'kms', operation: 'Decrypt', outcome: 'success', keyId: key.arn, keyVersion: made.keyMaterialId });
    expect(dec!.details).toMatchObject({ eventName: 'Decrypt', requestParameters: { keyId: key.arn, encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: context }, responseElements: null, readOnly: true });
    expect(gen!.details).not.toHaveProperty('errorCode');
  });

  it('records failed uses with errorCode and errorMessage', () => {
    const key = f.kms.createKey();
    const made = f.kms.generateDataKey({ keyId: key.keyId, encryptionContext: context });
    f.kms.disableKey({ keyId: key.keyId });
    f.events.length = 0;
    expectKmsError(() => f.kms.generateDataKey({ keyId: key.keyId }, actor), 'DisabledException');
    expectKmsError(() => f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob, encryptionContext: context }, actor), 'DisabledException');
    f.kms.enableKey({ keyId: key.keyId });
    expectKmsError(() => f.kms.decrypt({ ciphertextBlob: made.ciphertextBlob, encryptionContext: {} }, actor), 'InvalidCiphertextException');
    expectKmsError(() => f.kms.generateDataKey({ keyId: 'fake-key-id' }, actor), 'NotFoundException');
    const uses = f.events.filter((e) => e.category === 'kms');
    expect(uses.map((e) => [e.operation, e.outcome, e.errorCode])).toEqual([
      ['GenerateDataKey', 'failure', 'DisabledException'],
      ['Decrypt', 'failure', 'DisabledException'],
      ['Decrypt', 'failure', 'InvalidCiphertextException'],
      ['GenerateDataKey', 'failure', 'NotFoundException'],
    ]);
    expect(uses[0]!.details).toMatchObject({ errorCode: 'DisabledException', errorMessage: `${key.arn} is disabled.`, resources: [{ ARN: key.arn }] });
    expect(uses[3]!.details).toMatchObject({ errorMessage: "Invalid keyId 'fake-key-id'", resources: [] });
  });

  it('records every administration as one admin event, naming the actor', () => {
    const cli = { principal: 'coffer-cli' };
    const key = f.kms.createKey({ description: 'd', alias: 'alias/a' }, cli);
    f.kms.createAlias({ aliasName: 'alias/b', targetKeyId: key.keyId }, cli);
    f.kms.deleteAlias({ aliasName: 'alias/b' }, cli);
    f.kms.disableKey({ keyId: key.keyId }, cli);
    f.kms.enableKey({ keyId: key.keyId }, cli);
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 }, cli);
    f.kms.rotateKeyOnDemand({ keyId: key.keyId }, cli);
    f.kms.disableKeyRotation({ keyId: key.keyId }, cli);
    f.kms.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 }, cli);
    f.kms.cancelKeyDeletion({ keyId: key.keyId }, cli);
    expectKmsError(() => f.kms.cancelKeyDeletion({ keyId: key.keyId }, cli), 'KMSInvalidStateException');
    // Reads are not audited.
    f.kms.describeKey({ keyId: key.keyId });
    f.kms.listKeys();
    f.kms.listAliases();
    f.kms.getKeyRotationStatus({ keyId: key.keyId });
    f.kms.listKeyRotations({ keyId: key.keyId });
    expect(f.events.every((e) => e.category === 'admin' && e.principal === 'coffer-cli' && e.keyId === key.arn)).toBe(true);
    expect(f.events.map((e) => `${e.operation}:${e.outcome}`)).toEqual([
      'CreateKey:success',
      'CreateAlias:success',
      'CreateAlias:success',
      'DeleteAlias:success',
      'DisableKey:success',
      'EnableKey:success',
      'EnableKeyRotation:success',
      'RotateKey:success',
      'DisableKeyRotation:success',
      'ScheduleKeyDeletion:success',
      'CancelKeyDeletion:success',
      'CancelKeyDeletion:failure',
    ]);
    const rotate = f.events[7]!;
    expect(rotate.keyVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(rotate.details).toMatchObject({ eventName: 'RotateKey', eventType: 'AwsApiCall', readOnly: false, serviceEventDetails: { rotationType: 'ON_DEMAND', currentKeyMaterialId: rotate.keyVersion } });
    expect(f.events[9]!.details).toMatchObject({ requestParameters: { keyId: key.keyId, pendingWindowInDays: 7 }, responseElements: { keyState: 'PendingDeletion', pendingWindowInDays: 7 } });
  });

  it('records automatic rotation and deletion as service events by the scheduler', () => {
    const key = f.kms.createKey({ alias: 'alias/gone' });
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 });
    f.clock.advanceDays(90);
    f.kms.runDueWork(f.clock.now);
    f.kms.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 });
    f.clock.advanceDays(7);
    f.kms.runDueWork(f.clock.now);
    const rotate = f.events.find((e) => e.operation === 'RotateKey')!;
    const deleted = f.events.find((e) => e.operation === 'DeleteKey')!;
    expect(rotate).toMatchObject({ category: 'admin', principal: 'scheduler', outcome: 'success', keyId: key.arn });
    expect(rotate.details).toMatchObject({ eventType: 'AwsServiceEvent', requestParameters: null, serviceEventDetails: { rotationType: 'AUTOMATIC', keyOrigin: 'AWS_KMS', previousKeyMaterialId: key.currentKeyMaterialId } });
    expect(deleted).toMatchObject({ category: 'admin', principal: 'scheduler', keyId: key.arn, time: f.clock.now });
    expect(deleted.details).toMatchObject({ eventType: 'AwsServiceEvent', serviceEventDetails: { deletedAliases: ['alias/gone'] } });
  });

  it('records the creation of aws/s3 once, as a service event', () => {
    f.kms.generateDataKey({ keyId: 'alias/aws/s3' }, actor);
    f.kms.generateDataKey({ keyId: 'alias/aws/s3' }, actor);
    expect(f.events.map((e) => e.operation)).toEqual(['CreateKey', 'GenerateDataKey', 'GenerateDataKey']);
    expect(f.events[0]!.details).toMatchObject({ eventType: 'AwsServiceEvent' });
  });
});
