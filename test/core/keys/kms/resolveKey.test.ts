import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type KmsFixture } from './kmsFixture.js';

let f: KmsFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

const UNKNOWN = '3f0c8a1e-5b2d-4c6e-9a7b-1d2e3f4a5b6c';

function failure(input: string): { reason: string; code: string; message: string } {
  const r = f.kms.resolveKey(input);
  if (r.ok) throw new Error(`${input} resolved`);
  return { reason: r.reason, code: r.error.code, message: r.error.message };
}

describe('resolveKey', () => {
  it('resolves a key id, key ARN, alias name and alias ARN to the same key', () => {
    const key = f.kms.createKey({ alias: 'alias/app' });
    for (const input of [key.keyId, key.arn, 'alias/app', `arn:aws:kms:us-east-1:${f.kms.accountId}:alias/app`]) {
      expect(f.kms.resolveKey(input)).toEqual({ ok: true, key });
    }
  });

  it('calls anything that is not one of the four forms malformed, with S3 texts', () => {
    expect(failure('fake-key-id')).toEqual({ reason: 'malformed', code: 'NotFoundException', message: "Invalid keyId 'fake-key-id'" });
    expect(failure('aws/s3')).toEqual({ reason: 'malformed', code: 'NotFoundException', message: "Invalid keyId 'aws/s3'" });
    expect(failure('134f2428cec14b25a1ae9048164dba47')).toMatchObject({ reason: 'malformed', message: "Invalid keyId '134f2428cec14b25a1ae9048164dba47'" });
    expect(failure('arn:aws:s3:::bucket')).toMatchObject({ reason: 'malformed', code: 'NotFoundException' });
    expect(failure(`arn:aws:kms:us-east-1:${f.kms.accountId}:key/not-a-uuid`)).toMatchObject({ reason: 'malformed', message: "Invalid keyId 'not-a-uuid'" });
    expect(failure('arn:aws:kms:us-east-1:123:key/x')).toMatchObject({ reason: 'malformed', code: 'InvalidArnException' });
    expect(failure('')).toMatchObject({ reason: 'malformed', code: 'ValidationException' });
  });

  it('tells a well-formed but unknown key or alias apart', () => {
    const arn = `arn:aws:kms:us-east-1:${f.kms.accountId}:key/${UNKNOWN}`;
    expect(failure(UNKNOWN)).toEqual({ reason: 'not-found', code: 'NotFoundException', message: `Key '${arn}' does not exist` });
    expect(failure(arn)).toEqual({ reason: 'not-found', code: 'NotFoundException', message: `Key '${arn}' does not exist` });
    expect(failure('alias/nope')).toEqual({ reason: 'not-found', code: 'NotFoundException', message: `Alias arn:aws:kms:us-east-1:${f.kms.accountId}:alias/nope is not found.` });
    const key = f.kms.createKey();
    expect(failure(key.arn.replace(f.kms.accountId, '111122223333'))).toMatchObject({ reason: 'not-found', code: 'NotFoundException' });
  });

  it('tells an ARN of another region from a key that exists only in another region', () => {
    const west = f.open('us-west-2').createKey({ alias: 'alias/west' });
    expect(failure(west.arn)).toEqual({ reason: 'other-region-arn', code: 'NotFoundException', message: 'Invalid arn us-west-2' });
    expect(failure(`arn:aws:kms:us-west-2:${f.kms.accountId}:alias/west`)).toMatchObject({ reason: 'other-region-arn', message: 'Invalid arn us-west-2' });
    expect(failure(west.keyId)).toEqual({ reason: 'other-region-key', code: 'NotFoundException', message: `Key 'arn:aws:kms:us-east-1:${f.kms.accountId}:key/${west.keyId}' does not exist` });
    expect(failure('alias/west')).toMatchObject({ reason: 'not-found' });
  });

  it('reports disabled and pending-deletion keys with their AWS exceptions', () => {
    const key = f.kms.createKey();
    f.kms.disableKey({ keyId: key.keyId });
    expect(failure(key.keyId)).toEqual({ reason: 'disabled', code: 'DisabledException', message: `${key.arn} is disabled.` });
    f.kms.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 });
    expect(failure(key.arn)).toEqual({ reason: 'pending-deletion', code: 'KMSInvalidStateException', message: `${key.arn} is pending deletion.` });
  });

  it('creates alias/aws/s3 on first use, by name or alias ARN', () => {
    const byArn = f.kms.resolveKey(`arn:aws:kms:us-east-1:${f.kms.accountId}:alias/aws/s3`);
    expect(byArn.ok && byArn.key.keyManager).toBe('AWS');
    const byName = f.kms.resolveKey('alias/aws/s3');
    expect(byName.ok && byArn.ok && byName.key.keyId === byArn.key.keyId).toBe(true);
    expect(failure('alias/aws/other')).toMatchObject({ reason: 'not-found' });
  });
});
