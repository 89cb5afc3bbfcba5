import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ON_DEMAND_ROTATION_LIMIT } from '../../../../main/core/keys/kms/index.js';
import { DAY_MS } from '../../../../main/core/keys/kms/schedules.js';
import { START, expectKmsError, openFixture, type KmsFixture } from './kmsFixture.js';

let f: KmsFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

const at = (days: number): Date => new Date(START.getTime() + days * DAY_MS);

describe('key rotation', () => {
  it('is off by default; enabling sets the period (default 365) and the first date from now', () => {
    const key = f.kms.createKey();
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId })).toEqual({ keyId: key.arn, keyRotationEnabled: false, rotationPeriodInDays: undefined, nextRotationDate: undefined });
    f.kms.enableKeyRotation({ keyId: key.keyId });
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId })).toEqual({ keyId: key.arn, keyRotationEnabled: true, rotationPeriodInDays: 365, nextRotationDate: at(365) });
    f.kms.disableKeyRotation({ keyId: key.keyId });
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).keyRotationEnabled).toBe(false);
  });

  it('accepts rotation periods of 90 to 2560 days only', () => {
    const key = f.kms.createKey();
    expectKmsError(() => f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 89 }), 'ValidationException', "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90");
    expectKmsError(() => f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 2561 }), 'ValidationException', /less than or equal to 2560/);
    expectKmsError(() => f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 100.5 }), 'ValidationException');
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 2560 });
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 });
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).rotationPeriodInDays).toBe(90);
  });

  it('keeps the schedule when rotation is enabled again, changing only the period', () => {
    const key = f.kms.createKey();
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 365 });
    f.clock.now = at(100);
    // The same call again (a daily script, say) must not postpone the rotation.
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 365 });
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).nextRotationDate).toEqual(at(365));
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 180 });
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).nextRotationDate).toEqual(at(180));
    // Shortened below the time already passed: due at once.
    f.clock.now = at(150);
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 });
    expect(f.kms.runDueWork(f.clock.now).rotated).toHaveLength(1);
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).nextRotationDate).toEqual(at(180));
    // After DisableKeyRotation, enabling starts afresh from now.
    f.kms.disableKeyRotation({ keyId: key.keyId });
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 });
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).nextRotationDate).toEqual(at(240));
  });

  it('rotates automatically when due and not a moment before, keeping the schedule', () => {
    const key = f.kms.createKey();
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 100 });
    f.clock.now = new Date(at(100).getTime() - 1);
    expect(f.kms.runDueWork(f.clock.now).rotated).toEqual([]);
    f.clock.now = at(100);
    const report = f.kms.runDueWork(f.clock.now);
    expect(report.rotated).toHaveLength(1);
    expect(report.rotated[0]!.keyId).toBe(key.arn);
    expect(f.kms.describeKey({ keyId: key.keyId }).currentKeyMaterialId).toBe(report.rotated[0]!.keyMaterialId);
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).nextRotationDate).toEqual(at(200));
    expect(f.kms.runDueWork(f.clock.now).rotated).toEqual([]);
    expect(f.kms.listKeyRotations({ keyId: key.keyId })).toEqual([{ keyId: key.keyId, keyMaterialId: report.rotated[0]!.keyMaterialId, rotationDate: at(100), rotationType: 'AUTOMATIC' }]);
  });

  it('rotates once after a long gap and schedules the next date after now', () => {
    const key = f.kms.createKey();
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 });
    f.clock.now = at(400);
    expect(f.kms.runDueWork(f.clock.now).rotated).toHaveLength(1);
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).nextRotationDate).toEqual(at(450));
    expect(f.kms.listKeyRotations({ keyId: key.keyId })).toHaveLength(1);
  });

  it('does not rotate a disabled key; it rotates once enabled again', () => {
    const key = f.kms.createKey();
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 });
    f.kms.disableKey({ keyId: key.keyId });
    f.clock.now = at(91);
    expect(f.kms.runDueWork(f.clock.now).rotated).toEqual([]);
    f.kms.enableKey({ keyId: key.keyId });
    expect(f.kms.runDueWork(f.clock.now).rotated).toHaveLength(1);
  });

  it('refuses rotation settings on a disabled or pending key, and reports rotation off while pending', () => {
    const key = f.kms.createKey();
    f.kms.enableKeyRotation({ keyId: key.keyId });
    f.kms.disableKey({ keyId: key.keyId });
    expectKmsError(() => f.kms.enableKeyRotation({ keyId: key.keyId }), 'DisabledException');
    expectKmsError(() => f.kms.disableKeyRotation({ keyId: key.keyId }), 'DisabledException');
    expectKmsError(() => f.kms.rotateKeyOnDemand({ keyId: key.keyId }), 'DisabledException');
    f.kms.scheduleKeyDeletion({ keyId: key.keyId, pendingWindowInDays: 7 });
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).keyRotationEnabled).toBe(false);
    expectKmsError(() => f.kms.rotateKeyOnDemand({ keyId: key.keyId }), 'KMSInvalidStateException');
    f.kms.cancelKeyDeletion({ keyId: key.keyId });
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).keyRotationEnabled).toBe(true);
  });

  it('rotates on demand without moving the automatic schedule', () => {
    const key = f.kms.createKey();
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 });
    f.clock.now = at(10);
    const rotated = f.kms.rotateKeyOnDemand({ keyId: key.keyId });
    expect(rotated.keyId).toBe(key.keyId);
    expect(f.kms.describeKey({ keyId: key.keyId }).currentKeyMaterialId).toBe(rotated.keyMaterialId);
    expect(f.kms.getKeyRotationStatus({ keyId: key.keyId }).nextRotationDate).toEqual(at(90));
    f.clock.now = at(90);
    expect(f.kms.runDueWork(f.clock.now).rotated).toHaveLength(1);
    expect(f.kms.listKeyRotations({ keyId: key.keyId }).map((r) => r.rotationType)).toEqual(['ON_DEMAND', 'AUTOMATIC']);
  });

  it('rotates on demand even with automatic rotation off, at most 25 times per key', () => {
    const key = f.kms.createKey();
    const other = f.kms.createKey();
    for (let i = 0; i < ON_DEMAND_ROTATION_LIMIT; i += 1) f.kms.rotateKeyOnDemand({ keyId: key.keyId });
    expect(ON_DEMAND_ROTATION_LIMIT).toBe(25);
    expectKmsError(
      () => f.kms.rotateKeyOnDemand({ keyId: key.keyId }),
      'LimitExceededException',
      `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.arn}`,
    );
    expect(f.kms.listKeyRotations({ keyId: key.keyId })).toHaveLength(25);
    // The limit is per key, and automatic rotations do not count against it.
    f.kms.rotateKeyOnDemand({ keyId: other.keyId });
    f.kms.enableKeyRotation({ keyId: key.keyId, rotationPeriodInDays: 90 });
    f.clock.now = at(90);
    expect(f.kms.runDueWork(f.clock.now).rotated).toHaveLength(1);
  });
});
