import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { START, expectKmsError, openFixture, type KmsFixture } from './kmsFixture.js';

let f: KmsFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

describe('aliases', () => {
  it('are created, listed (all or per key) and deleted without touching the key', () => {
    const a = f.kms.createKey({ alias: 'alias/photos' });
    const b = f.kms.createKey();
    f.kms.createAlias({ aliasName: 'alias/b-one', targetKeyId: b.arn });
    f.kms.createAlias({ aliasName: 'alias/b-two', targetKeyId: b.keyId });
    const arn = (name: string): string => `arn:aws:kms:us-east-1:${f.kms.accountId}:${name}`;
    expect(f.kms.listAliases({ keyId: b.keyId })).toEqual([
      { aliasName: 'alias/b-one', aliasArn: arn('alias/b-one'), targetKeyId: b.keyId, creationDate: START },
      { aliasName: 'alias/b-two', aliasArn: arn('alias/b-two'), targetKeyId: b.keyId, creationDate: START },
    ]);
    expect(f.kms.listAliases().map((x) => x.aliasName)).toEqual(['alias/aws/s3', 'alias/b-one', 'alias/b-two', 'alias/photos']);
    f.kms.deleteAlias({ aliasName: 'alias/b-one' });
    expect(f.kms.listAliases({ keyId: 'alias/b-two' }).map((x) => x.aliasName)).toEqual(['alias/b-two']);
    expectKmsError(() => f.kms.deleteAlias({ aliasName: 'alias/b-one' }), 'NotFoundException', `Alias ${arn('alias/b-one')} is not found.`);
    expect(f.kms.describeKey({ keyId: 'alias/photos' }).keyId).toBe(a.keyId);
    expect(f.kms.describeKey({ keyId: b.keyId }).keyState).toBe('Enabled');
  });

  it('are unique per region and may not name another alias', () => {
    const key = f.kms.createKey({ alias: 'alias/x' });
    const other = f.kms.createKey();
    expectKmsError(() => f.kms.createAlias({ aliasName: 'alias/x', targetKeyId: other.keyId }), 'AlreadyExistsException', `An alias with the name arn:aws:kms:us-east-1:${f.kms.accountId}:alias/x already exists`);
    expectKmsError(() => f.kms.createAlias({ aliasName: 'alias/y', targetKeyId: 'alias/x' }), 'ValidationException', 'Aliases must refer to keys. Not aliases');
    const west = f.open('us-west-2');
    const westKey = west.createKey({ alias: 'alias/x' });
    expect(west.describeKey({ keyId: 'alias/x' }).keyId).toBe(westKey.keyId);
    expect(f.kms.describeKey({ keyId: 'alias/x' }).keyId).toBe(key.keyId);
  });

  it('follow the name rules, and CreateKey leaves no key behind when its alias is refused', () => {
    const key = f.kms.createKey({ alias: 'alias/taken' });
    expectKmsError(() => f.kms.createAlias({ aliasName: 'nope', targetKeyId: key.keyId }), 'ValidationException', /must start with the prefix "alias\/"/);
    expectKmsError(() => f.kms.createAlias({ aliasName: 'alias/aws/mine', targetKeyId: key.keyId }), 'NotAuthorizedException');
    expectKmsError(() => f.kms.createAlias({ aliasName: 'alias/bad name', targetKeyId: key.keyId }), 'ValidationException');
    expectKmsError(() => f.kms.createKey({ alias: 'alias/taken' }), 'AlreadyExistsException');
    expectKmsError(() => f.kms.createKey({ alias: 'alias/aws/s3' }), 'NotAuthorizedException');
    expectKmsError(() => f.kms.createKey({ alias: 'bad' }), 'ValidationException');
    expect(f.kms.listKeys()).toHaveLength(1);
  });

  it('may point at a disabled key but not at one pending deletion', () => {
    const key = f.kms.createKey();
    f.kms.disableKey({ keyId: key.keyId });
    f.kms.createAlias({ aliasName: 'alias/disabled', targetKeyId: key.keyId });
    f.kms.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 });
    expectKmsError(() => f.kms.createAlias({ aliasName: 'alias/pending', targetKeyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`);
    // Deleting an alias of a key pending deletion is allowed, as in AWS.
    f.kms.deleteAlias({ aliasName: 'alias/disabled' });
  });
});
