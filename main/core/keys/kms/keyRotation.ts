// Key material rotation: EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations.
import { assertCustomerManaged } from './awsManagedKeys.js';
import { addMaterial } from './keyFactory.js';
import { findKey } from './keyResolver.js';
import { audited, type AuditNote } from './kmsAudit.js';
import { arnOf, assertUsable, type KmsContext } from './kmsContext.js';
import { KmsError } from './kmsError.js';
import type { KeyRow, MaterialRow } from './kmsRepository.js';
import type { KeyRotationEntry, KeyRotationStatus, KmsActor, RotationType } from './kmsTypes.js';
import { DEFAULT_ROTATION_PERIOD_DAYS, ON_DEMAND_ROTATION_LIMIT, addDays, assertRotationPeriod } from './schedules.js';

/**
 * Adds a new current material. Old materials stay, so every data key made before still decrypts;
 * nothing that was encrypted is touched. Call inside a write transaction.
 */
export function rotateMaterial(ctx: KmsContext, row: KeyRow, type: RotationType, at: number, note: AuditNote): MaterialRow {
  const previous = ctx.repo.currentMaterial(row.keyId);
  const material = addMaterial(ctx, row.keyId, type, at);
  note.keyArn = arnOf(ctx, row);
  note.keyMaterialId = material.materialId;
  note.serviceEventDetails = {
    rotationType: type,
    keyOrigin: 'AWS_KMS',
    previousKeyMaterialId: previous?.materialId,
    currentKeyMaterialId: material.materialId,
  };
  return material;
}

/**
 * Enabling starts the schedule now. On a key that already rotates, the schedule keeps its anchor
 * (the last automatic rotation, or when rotation was enabled) and only the period changes, so a
 * script that re-enables rotation every day cannot postpone it forever. A new date already in
 * the past makes the rotation due at the next runDueWork.
 */
function nextDateFor(row: KeyRow, periodDays: number, now: number): number {
  if (!row.rotationEnabled || row.nextRotationAt === null || row.rotationPeriodDays === null) return addDays(now, periodDays);
  return addDays(addDays(row.nextRotationAt, -row.rotationPeriodDays), periodDays);
}

function setRotation(ctx: KmsContext, keyId: string, periodDays: number | undefined, actor: KmsActor | undefined): void {
  const action = periodDays === undefined ? 'DisableKeyRotation' : 'EnableKeyRotation';
  const requestParameters = periodDays === undefined ? { keyId } : { keyId, rotationPeriodInDays: periodDays };
  audited(ctx, { category: 'admin', eventName: action, actor, requestParameters }, (note) => {
    if (periodDays !== undefined) assertRotationPeriod(periodDays);
    ctx.repo.write(() => {
      const row = findKey(ctx, keyId);
      note.keyArn = arnOf(ctx, row);
      assertCustomerManaged(ctx, row, action, actor);
      // The key-state table: a Disabled key answers DisabledException, a pending one KMSInvalidStateException.
      assertUsable(ctx, row);
      if (periodDays === undefined) ctx.repo.setRotation(row.keyId, false, null, null);
      else ctx.repo.setRotation(row.keyId, true, periodDays, nextDateFor(row, periodDays, ctx.now().getTime()));
    });
  });
}

/**
 * Turns on automatic rotation every `rotationPeriodInDays` (90-2560, default 365), the first one
 * that many days from now; on a key that already rotates, changes the period only (nextDateFor).
 */
export function enableKeyRotation(ctx: KmsContext, input: { keyId: string; rotationPeriodInDays?: number }, actor?: KmsActor): void {
  setRotation(ctx, input.keyId, input.rotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS, actor);
}

export function disableKeyRotation(ctx: KmsContext, keyId: string, actor?: KmsActor): void {
  setRotation(ctx, keyId, undefined, actor);
}

/** Any state. A key pending deletion reports rotation off (it does not rotate), as AWS does. */
export function getKeyRotationStatus(ctx: KmsContext, keyId: string): KeyRotationStatus {
  const row = findKey(ctx, keyId);
  const enabled = row.rotationEnabled && row.state !== 'PendingDeletion';
  return {
    keyId: arnOf(ctx, row),
    keyRotationEnabled: enabled,
    rotationPeriodInDays: enabled ? (row.rotationPeriodDays ?? undefined) : undefined,
    nextRotationDate: enabled && row.nextRotationAt !== null ? new Date(row.nextRotationAt) : undefined,
  };
}

/**
 * Rotates now, whatever the automatic setting, leaving the automatic schedule as it was.
 * Customer managed Enabled keys only, at most ON_DEMAND_ROTATION_LIMIT times per key.
 */
export function rotateKeyOnDemand(ctx: KmsContext, keyId: string, actor?: KmsActor): { keyId: string; keyMaterialId: string } {
  const spec = { category: 'admin' as const, eventName: 'RotateKey', actor, requestParameters: { keyId, rotationType: 'ON_DEMAND' } };
  return audited(ctx, spec, (note) =>
    ctx.repo.write(() => {
      const row = findKey(ctx, keyId);
      note.keyArn = arnOf(ctx, row);
      assertCustomerManaged(ctx, row, 'RotateKeyOnDemand', actor);
      assertUsable(ctx, row);
      if (ctx.repo.rotationCount(row.keyId, 'ON_DEMAND') >= ON_DEMAND_ROTATION_LIMIT) {
        throw new KmsError(
          'LimitExceededException',
          `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${note.keyArn}`,
        );
      }
      const material = rotateMaterial(ctx, row, 'ON_DEMAND', ctx.now().getTime(), note);
      return { keyId: row.keyId, keyMaterialId: material.materialId };
    }),
  );
}

/** Completed rotations, oldest first; the material the key was created with is not a rotation. */
export function listKeyRotations(ctx: KmsContext, keyId: string): KeyRotationEntry[] {
  const row = findKey(ctx, keyId);
  return ctx.repo
    .materials(row.keyId)
    .filter((m): m is MaterialRow & { rotationType: RotationType } => m.rotationType !== null)
    .map((m) => ({ keyId: row.keyId, keyMaterialId: m.materialId, rotationDate: new Date(m.createdAt), rotationType: m.rotationType }));
}
