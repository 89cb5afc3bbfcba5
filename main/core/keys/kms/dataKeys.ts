// GenerateDataKey and Decrypt: the two uses of a key, each recorded as a 'kms' audit event without any secret.
import { CryptoError } from '../../crypto/cryptoError.js';
import { ensureAwsManagedKey, managedKeyNamed } from './awsManagedKeys.js';
import { openDataKey, readBlobHeader, sealDataKey } from './ciphertextBlob.js';
import { assertEncryptionContext, type EncryptionContext } from './encryptionContext.js';
import { keyArn } from './identifiers.js';
import { openMaterial } from './keyMaterial.js';
import { findKey } from './keyResolver.js';
import { audited, type AuditSpec } from './kmsAudit.js';
import { arnOf, assertUsable, type KmsContext } from './kmsContext.js';
import { KmsError, constraintViolation, invalidCiphertext, keyDoesNotExist } from './kmsError.js';
import type { DecryptedDataKey, GeneratedDataKey, KmsActor } from './kmsTypes.js';

const DATA_KEY_BYTES = 32;

export interface GenerateDataKeyInput {
  /** Key id, key ARN, alias name or alias ARN; `alias/aws/s3` creates the managed key on first use. */
  keyId: string;
  /** Only AES_256 (32 bytes), the spec S3 asks for. */
  keySpec?: string;
  encryptionContext?: EncryptionContext;
}

export interface DecryptInput {
  ciphertextBlob: Uint8Array;
  /** Must equal the map given to GenerateDataKey, pair for pair. */
  encryptionContext?: EncryptionContext;
  /** Optional, as in AWS: when given, the blob must belong to this key (IncorrectKeyException otherwise). */
  keyId?: string;
}

function assertKeySpec(keySpec: string): void {
  if (keySpec === 'AES_256') return;
  if (keySpec === 'AES_128') throw new KmsError('UnsupportedOperationException', 'KeySpec AES_128 is not supported by this KMS; use AES_256');
  throw constraintViolation('keySpec', keySpec, 'Member must satisfy enum value set: [AES_256, AES_128]');
}

/** A fresh random 32-byte data key, returned in the clear and sealed under the key's current material. */
export function generateDataKey(ctx: KmsContext, input: GenerateDataKeyInput, actor?: KmsActor): GeneratedDataKey {
  const keySpec = input.keySpec ?? 'AES_256';
  const context = input.encryptionContext ?? {};
  const spec: AuditSpec = { category: 'kms', eventName: 'GenerateDataKey', actor, readOnly: true, requestParameters: { keyId: input.keyId, keySpec, encryptionContext: context } };
  return audited(ctx, spec, (note) => {
    assertKeySpec(keySpec);
    assertEncryptionContext(context);
    // Created outside the read below: the managed key's creation takes its own write lock.
    const managed = managedKeyNamed(ctx, input.keyId);
    if (managed) ensureAwsManagedKey(ctx, managed, actor);
    const { row, material } = ctx.repo.read(() => {
      const found = findKey(ctx, input.keyId);
      return { row: found, material: ctx.repo.currentMaterial(found.keyId) };
    });
    note.keyArn = arnOf(ctx, row);
    assertUsable(ctx, row);
    if (!material) throw keyDoesNotExist(note.keyArn);
    note.keyMaterialId = material.materialId;
    const plain = openMaterial(ctx.rootKey, row.keyId, material.materialId, material.sealed);
    const plaintext = ctx.random(DATA_KEY_BYTES);
    const ciphertextBlob = sealDataKey({ keyId: row.keyId, materialId: material.materialId }, plain, plaintext, context, ctx.random);
    plain.fill(0);
    return { plaintext, ciphertextBlob, keyId: note.keyArn, keyMaterialId: material.materialId };
  });
}

/**
 * Opens a blob made by generateDataKey. The blob names its key and material, so data keys made
 * before any number of rotations still open. A key deleted since answers NotFoundException; a
 * different encryption context or any altered byte answers InvalidCiphertextException.
 */
export function decrypt(ctx: KmsContext, input: DecryptInput, actor?: KmsActor): DecryptedDataKey {
  const context = input.encryptionContext ?? {};
  const header = readBlobHeader(input.ciphertextBlob);
  const arn = header && keyArn(ctx.region, ctx.accountId, header.keyId);
  const requestParameters = { keyId: input.keyId ?? arn, encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: context };
  return audited(ctx, { category: 'kms', eventName: 'Decrypt', actor, readOnly: true, requestParameters }, (note) => {
    assertEncryptionContext(context);
    if (!header || !arn) throw invalidCiphertext();
    const { row, material } = ctx.repo.read(() => ({ row: ctx.repo.key(header.keyId), material: ctx.repo.material(header.keyId, header.materialId) }));
    if (!row || row.region !== ctx.region) throw keyDoesNotExist(arn);
    note.keyArn = arn;
    if (input.keyId !== undefined && findKey(ctx, input.keyId).keyId !== row.keyId) {
      throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
    }
    assertUsable(ctx, row);
    if (!material) throw invalidCiphertext();
    note.keyMaterialId = material.materialId;
    const plain = openMaterial(ctx.rootKey, row.keyId, material.materialId, material.sealed);
    try {
      return { plaintext: openDataKey(input.ciphertextBlob, plain, context), keyId: arn, keyMaterialId: material.materialId };
    } catch (err) {
      if (err instanceof CryptoError) throw invalidCiphertext();
      throw err;
    } finally {
      plain.fill(0);
    }
  });
}
