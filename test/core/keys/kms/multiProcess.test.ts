import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../main/core/audit/auditEvent.js';
import type { LocalKms } from '../../../../main/core/keys/kms/index.js';
import { expectKmsError, openFixture, type KmsFixture } from './kmsFixture.js';

let f: KmsFixture;
let a: LocalKms;
let b: LocalKms;
const bEvents: AuditEvent[] = [];
beforeEach(() => {
  f = openFixture();
  a = f.kms;
  bEvents.length = 0;
  b = f.open('us-east-1', { record: (e) => void bEvents.push(e) });
});
afterEach(() => f.close());

describe('two LocalKms instances on one kms.db (the store and coffer kms)', () => {
  it('share the account id and see each other\'s keys and aliases at once', () => {
    expect(b.accountId).toBe(a.accountId);
    const key = a.createKey({ alias: 'alias/shared' });
    expect(b.describeKey({ keyId: 'alias/shared' })).toEqual(key);
    b.createAlias({ aliasName: 'alias/from-b', targetKeyId: key.keyId });
    expect(a.listAliases({ keyId: key.keyId }).map((x) => x.aliasName)).toEqual(['alias/from-b', 'alias/shared']);
  });

  it('apply state changes made by the other at the next call', () => {
    const key = a.createKey();
    const made = a.generateDataKey({ keyId: key.keyId });
    b.disableKey({ keyId: key.keyId });
    expectKmsError(() => a.generateDataKey({ keyId: key.keyId }), 'DisabledException');
    expectKmsError(() => a.decrypt({ ciphertextBlob: made.ciphertextBlob }), 'DisabledException');
    b.enableKey({ keyId: key.keyId });
    expect(a.decrypt({ ciphertextBlob: made.ciphertextBlob }).plaintext.equals(made.plaintext)).toBe(true);
  });

  it('use the material the other rotated to, and still open older data keys', () => {
    const key = a.createKey();
    const before = a.generateDataKey({ keyId: key.keyId });
    const rotated = b.rotateKeyOnDemand({ keyId: key.keyId });
    const after = a.generateDataKey({ keyId: key.keyId });
    expect(after.keyMaterialId).toBe(rotated.keyMaterialId);
    expect(b.decrypt({ ciphertextBlob: before.ciphertextBlob }).plaintext.equals(before.plaintext)).toBe(true);
    expect(b.decrypt({ ciphertextBlob: after.ciphertextBlob }).plaintext.equals(after.plaintext)).toBe(true);
  });

  it('delete a key scheduled by the other exactly once', () => {
    const key = b.createKey();
    b.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 });
    f.clock.advanceDays(7);
    expect(a.runDueWork(f.clock.now).deleted).toEqual([key.arn]);
    expect(b.runDueWork(f.clock.now).deleted).toEqual([]);
    expectKmsError(() => b.describeKey({ keyId: key.keyId }), 'NotFoundException');
    expect(f.events.filter((e) => e.operation === 'DeleteKey')).toHaveLength(1);
    expect(bEvents.filter((e) => e.operation === 'DeleteKey')).toHaveLength(0);
  });

  it('end with one aws/s3 key when both use it first', () => {
    const fromA = a.awsManagedKey('aws/s3');
    const fromB = b.resolveKey('alias/aws/s3');
    expect(fromB.ok && fromB.key.keyId).toBe(fromA.keyId);
    expect(a.listKeys()).toHaveLength(1);
  });
});
