import { describe, expect, it } from 'vitest';
import {
  aliasArn,
  isKeyId,
  isMaterialId,
  keyArn,
  keyIdBytes,
  keyIdFromBytes,
  newAccountId,
  newMaterialId,
  newUuid,
  parseKmsArn,
} from '../../../../main/core/keys/kms/identifiers.js';
import { systemRandom } from '../../../../main/core/crypto/random.js';

describe('KMS identifiers', () => {
  it('makes version 4 UUIDs that survive the 16-byte blob form', () => {
    const id = newUuid(systemRandom);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isKeyId(id)).toBe(true);
    expect(keyIdFromBytes(keyIdBytes(id))).toBe(id);
    expect(newUuid(() => Buffer.alloc(16, 0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });

  it('makes 64-hex material ids and 12-digit account ids', () => {
    expect(isMaterialId(newMaterialId(systemRandom))).toBe(true);
    expect(newAccountId(systemRandom)).toMatch(/^\d{12}$/);
    // Bytes of 250 and above are skipped, so every digit is equally likely.
    expect(newAccountId(() => Buffer.from([255, 251, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]))).toBe('123456789012');
  });

  it('builds and parses key and alias ARNs', () => {
    const id = '1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(keyArn('us-west-2', '111122223333', id)).toBe(`arn:aws:kms:us-west-2:111122223333:key/${id}`);
    expect(aliasArn('us-west-2', '111122223333', 'alias/x')).toBe('arn:aws:kms:us-west-2:111122223333:alias/x');
    expect(parseKmsArn(`arn:aws:kms:us-west-2:111122223333:key/${id}`)).toEqual({ kind: 'key', region: 'us-west-2', accountId: '111122223333', keyId: id });
    expect(parseKmsArn('arn:aws:kms:us-west-2:111122223333:alias/a/b')).toEqual({ kind: 'alias', region: 'us-west-2', accountId: '111122223333', aliasName: 'alias/a/b' });
    for (const bad of ['arn:aws:s3:::bucket', 'arn:aws:kms:us-west-2:1111:key/x', 'arn:aws-cn:kms:cn-north-1:111122223333:key/x', 'arn:aws:kms:us-west-2:111122223333:key/', 'arn:aws:kms:us-west-2:111122223333:grant/x']) {
      expect(parseKmsArn(bad)).toBeUndefined();
    }
  });
});
