// Backing key material of a KMS key: 32 random bytes, plain only in memory, sealed by the root key at rest.
import { openKey, sealKey } from '../../crypto/keyWrap.js';
import type { RandomSource } from '../../crypto/random.js';

declare const plainMaterialBrand: unique symbol;
declare const sealedMaterialBrand: unique symbol;

/** Material bytes in the clear. Never persisted, logged, returned or put in an error or event. */
export type PlainMaterial = Buffer & { readonly [plainMaterialBrand]: true };

/** Material sealed under the store root key (keyWrap.sealKey format). Safe to store. */
export type SealedMaterial = Buffer & { readonly [sealedMaterialBrand]: true };

export const MATERIAL_BYTES = 32;

export function newPlainMaterial(random: RandomSource): PlainMaterial {
  const bytes = random(MATERIAL_BYTES);
  if (bytes.length !== MATERIAL_BYTES) throw new RangeError('random source returned the wrong length');
  return bytes as PlainMaterial;
}

/**
 * The AAD names the key and the material id, so a sealed row copied onto another key or swapped
 * with a sibling material fails to open instead of silently decrypting with the wrong material.
 */
function sealContext(keyId: string, materialId: string): Buffer {
  return Buffer.from(`coffer/v1/kms-key-material/${keyId}/${materialId}`, 'utf8');
}

export function sealMaterial(rootKey: Buffer, keyId: string, materialId: string, material: PlainMaterial, random?: RandomSource): SealedMaterial {
  return sealKey(rootKey, material, sealContext(keyId, materialId), random) as SealedMaterial;
}

/** CryptoError if the root key is wrong or the row was altered or moved. */
export function openMaterial(rootKey: Buffer, keyId: string, materialId: string, sealed: SealedMaterial): PlainMaterial {
  return openKey(rootKey, sealed, sealContext(keyId, materialId)) as PlainMaterial;
}
