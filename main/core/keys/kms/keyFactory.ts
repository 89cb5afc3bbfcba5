// Making keys and key materials: a new key row with its first material, and one more material per rotation.
import { newMaterialId, newUuid } from './identifiers.js';
import { newPlainMaterial, sealMaterial } from './keyMaterial.js';
import type { KmsContext } from './kmsContext.js';
import type { KeyRow, MaterialRow } from './kmsRepository.js';
import type { KeyManager, RotationType } from './kmsTypes.js';
import { addDays } from './schedules.js';

export interface NewKeySpec {
  description: string;
  keyManager: KeyManager;
  /** Starts automatic rotation at once (AWS managed keys); customer keys start with it off, as in AWS. */
  rotationPeriodDays?: number;
}

/**
 * Adds a material that becomes current at once. The plain bytes live only inside this call;
 * what is stored is sealed under the root key with the key id and material id as AAD.
 * Call inside a write transaction.
 */
export function addMaterial(ctx: KmsContext, keyId: string, rotationType: RotationType | null, at: number): MaterialRow {
  const previous = ctx.repo.currentMaterial(keyId);
  const materialId = newMaterialId(ctx.random);
  const plain = newPlainMaterial(ctx.random);
  const row: MaterialRow = {
    keyId,
    seq: (previous?.seq ?? 0) + 1,
    materialId,
    createdAt: at,
    rotationType,
    sealed: sealMaterial(ctx.rootKey, keyId, materialId, plain, ctx.random),
  };
  plain.fill(0);
  ctx.repo.insertMaterial(row);
  return row;
}

/** Inserts an Enabled key of the caller's region with its first material. Call inside a write transaction. */
export function insertNewKey(ctx: KmsContext, spec: NewKeySpec, at: number): KeyRow {
  const row: KeyRow = {
    keyId: newUuid(ctx.random),
    region: ctx.region,
    description: spec.description,
    keyManager: spec.keyManager,
    createdAt: at,
    state: 'Enabled',
    deletionAt: null,
    pendingWindowDays: null,
    rotationEnabled: spec.rotationPeriodDays !== undefined,
    rotationPeriodDays: spec.rotationPeriodDays ?? null,
    nextRotationAt: spec.rotationPeriodDays === undefined ? null : addDays(at, spec.rotationPeriodDays),
  };
  ctx.repo.insertKey(row);
  addMaterial(ctx, row.keyId, null, at);
  return row;
}
