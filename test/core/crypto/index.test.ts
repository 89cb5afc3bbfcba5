import { describe, expect, it } from 'vitest';
import * as crypto from '../../../main/core/crypto/index.js';

describe('crypto public API', () => {
  it('exports the documented surface', () => {
    const functions = [
      'systemRandom', 'encryptedSize', 'identityBytes', 'parseHeader', 'segmentCount', 'bufferSource',
      'decryptAll', 'decryptRange', 'deriveKey', 'openBytes', 'openKey', 'sealBytes', 'sealKey',
      'createCustomerKeyProof', 'customerKek', 'customerKeyMatches', 'SegmentEncryptor', 'CryptoError',
      'StreamLengthError',
    ] as const;
    for (const name of functions) expect(typeof crypto[name], name).toBe('function');
    expect([crypto.SEGMENT_PLAIN_BYTES, crypto.SEGMENT_CIPHER_BYTES, crypto.HEADER_BYTES, crypto.TAG_BYTES]).toEqual([65536, 65552, 32, 16]);
  });

  it('supports an SSE-C style flow end to end through the index alone', async () => {
    const customerKey = Buffer.alloc(32, 9);
    const context = Buffer.from('bucket/key');
    const proof = crypto.createCustomerKeyProof(customerKey, context);
    const objectKey = Buffer.alloc(32, 3);
    const kek = crypto.customerKek(customerKey, proof.salt, context);
    const sealed = crypto.sealKey(kek, objectKey, context);
    const identity = { bucket: 'bucket', key: 'key', uploadId: '', partNumber: 0, blobId: 'b1' };
    const encryptor = new crypto.SegmentEncryptor(objectKey, identity, 5);
    const blob = Buffer.concat([encryptor.header(), ...encryptor.update(Buffer.from('hello')), ...encryptor.final()]);

    expect(crypto.customerKeyMatches(customerKey, proof, context)).toBe(true);
    const opened = crypto.openKey(crypto.customerKek(customerKey, proof.salt, context), sealed, context);
    expect((await crypto.decryptAll(crypto.bufferSource(blob), opened, identity, 5)).toString()).toBe('hello');
  });
});
