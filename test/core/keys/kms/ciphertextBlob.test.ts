import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../../../main/core/crypto/cryptoError.js';
import { systemRandom } from '../../../../main/core/crypto/random.js';
import { BLOB_BYTES, BLOB_HEADER_BYTES, openDataKey, readBlobHeader, sealDataKey } from '../../../../main/core/keys/kms/ciphertextBlob.js';
import { newMaterialId, newUuid } from '../../../../main/core/keys/kms/identifiers.js';
import { newPlainMaterial } from '../../../../main/core/keys/kms/keyMaterial.js';

const header = { keyId: newUuid(systemRandom), materialId: newMaterialId(systemRandom) };
const material = newPlainMaterial(systemRandom);
const dataKey = Buffer.alloc(32, 7);
const context = { 'aws:s3:arn': 'arn:aws:s3:::b/k' };

describe('the ciphertext blob', () => {
  it('names its key and material and opens with the same material and context', () => {
    const blob = sealDataKey(header, material, dataKey, context);
    expect(blob.length).toBe(BLOB_BYTES);
    expect(readBlobHeader(blob)).toEqual(header);
    expect(openDataKey(blob, material, { ...context }).equals(dataKey)).toBe(true);
    expect(blob.includes(dataKey)).toBe(false);
  });

  it('refuses another context, another material, or any changed byte', () => {
    const blob = sealDataKey(header, material, dataKey, context);
    expect(() => openDataKey(blob, material, {})).toThrow(CryptoError);
    expect(() => openDataKey(blob, material, { 'aws:s3:arn': 'arn:aws:s3:::b/other' })).toThrow(CryptoError);
    expect(() => openDataKey(blob, newPlainMaterial(systemRandom), context)).toThrow(CryptoError);
    for (const at of [BLOB_HEADER_BYTES + 2, BLOB_HEADER_BYTES + 20, BLOB_BYTES - 1]) {
      const bad = Buffer.from(blob);
      bad[at]! ^= 0x01;
      expect(() => openDataKey(bad, material, context)).toThrow(CryptoError);
    }
  });

  it('does not recognise a blob with a damaged header, a wrong length or another version', () => {
    const blob = sealDataKey(header, material, dataKey, context);
    for (const at of [0, 3, 20, 50]) {
      const bad = Buffer.from(blob);
      bad[at]! ^= 0x80;
      expect(readBlobHeader(bad)).toBeUndefined();
    }
    expect(readBlobHeader(blob.subarray(0, BLOB_BYTES - 1))).toBeUndefined();
    expect(readBlobHeader(Buffer.concat([blob, Buffer.of(0)]))).toBeUndefined();
    expect(readBlobHeader(Buffer.alloc(0))).toBeUndefined();
  });
});
