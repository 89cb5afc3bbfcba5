// Pins format version 1 byte for byte: any change to the layout, labels or nonces fails here.
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealKey, openKey } from '../../../main/core/crypto/keyWrap.js';
import { SegmentEncryptor } from '../../../main/core/crypto/segmentEncryptor.js';
import { bufferSource, decryptAll } from '../../../main/core/crypto/segmentDecryptor.js';
import type { StreamIdentity } from '../../../main/core/crypto/segmentFormat.js';

const KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i)); // 00 01 .. 1f
const SALT = Buffer.from(Array.from({ length: 16 }, (_, i) => 0xa0 + i)); // a0 .. af
const IDENTITY: StreamIdentity = { bucket: 'kat-bucket', key: 'dir/object.txt', uploadId: 'upload-1', partNumber: 3, blobId: 'blob-kat' };
const SMALL = Buffer.from('Coffer at-rest format v1');
const TWO_SEGMENTS = Buffer.from(Array.from({ length: 65541 }, (_, i) => i % 251));

// Computed once with this implementation; they must never change for format version 1.
const HEADER_HEX = '4346524201011000a0a1a2a3a4a5a6a7a8a9aaabacadaeaf0000000000000000';
const SMALL_BLOB_HEX = HEADER_HEX + 'b08948059e84d882133d5f79962d7cd13cb33c42df21d96d201828ed73bea6217dcac6ce11b9a39f';
const EMPTY_BLOB_HEX = HEADER_HEX + '67a23e7f2e3cf84b076347dc9a70a598';
const TWO_SEGMENTS_SHA256 = '4258647d306fabc09b6ac7c911cb4beb77d41377b4bf73284ef15641a5cb467f';
const SEALED_KEY_HEX =
  '01' + 'c0c1c2c3c4c5c6c7c8c9cacb' + '903a942837a17221256cad161749c3b61e8264d965dfbec0cdcc867c05958a9c' + 'b39f2194379ef799d29dba4432998a92';

function encrypt(plain: Buffer): Buffer {
  const encryptor = new SegmentEncryptor(KEY, IDENTITY, plain.length, () => Buffer.from(SALT));
  return Buffer.concat([encryptor.header(), ...encryptor.update(plain), ...encryptor.final()]);
}

/** The documented layout rebuilt from raw node:crypto calls, sharing no code with the module. */
function referenceEncrypt(plain: Buffer): Buffer {
  const header = Buffer.concat([Buffer.from('CFRB'), Buffer.of(1, 1, 16, 0), SALT, Buffer.alloc(8)]);
  const streamKey = createHmac('sha256', KEY).update(Buffer.concat([Buffer.from('coffer/v1/segment-key'), SALT])).digest();
  const field = (s: string): Buffer => {
    const bytes = Buffer.from(s, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const part = Buffer.alloc(4);
  part.writeUInt32BE(IDENTITY.partNumber);
  const identity = Buffer.concat([
    Buffer.from('coffer/v1/identity'),
    field(IDENTITY.bucket),
    field(IDENTITY.key),
    field(IDENTITY.uploadId),
    part,
    field(IDENTITY.blobId),
  ]);
  const aad = Buffer.concat([header, identity]);
  const out = [header];
  const count = Math.max(1, Math.ceil(plain.length / 65536));
  for (let i = 0; i < count; i += 1) {
    const nonce = Buffer.alloc(12);
    nonce.writeUInt32BE(i, 7);
    nonce[11] = i === count - 1 ? 1 : 0;
    const cipher = createCipheriv('aes-256-gcm', streamKey, nonce);
    cipher.setAAD(aad);
    out.push(cipher.update(plain.subarray(i * 65536, (i + 1) * 65536)), cipher.final(), cipher.getAuthTag());
  }
  return Buffer.concat(out);
}

describe('format version 1 known answers', () => {
  it.each<[string, Buffer, string]>([
    ['a small object', SMALL, SMALL_BLOB_HEX],
    ['an empty object', Buffer.alloc(0), EMPTY_BLOB_HEX],
  ])('%s encrypts to the pinned bytes and the documented layout', async (_case, plain, hex) => {
    const blob = encrypt(plain);
    expect(blob.toString('hex')).toBe(hex);
    expect(referenceEncrypt(plain).toString('hex')).toBe(hex);
    expect((await decryptAll(bufferSource(blob), KEY, IDENTITY, plain.length)).equals(plain)).toBe(true);
  });

  it('a two-segment object encrypts to the pinned digest and the documented layout', async () => {
    const blob = encrypt(TWO_SEGMENTS);
    expect(blob.length).toBe(32 + 65541 + 2 * 16);
    expect(createHash('sha256').update(blob).digest('hex')).toBe(TWO_SEGMENTS_SHA256);
    expect(referenceEncrypt(TWO_SEGMENTS).equals(blob)).toBe(true);
    expect((await decryptAll(bufferSource(blob), KEY, IDENTITY, TWO_SEGMENTS.length)).equals(TWO_SEGMENTS)).toBe(true);
  });

  it('a sealed key has the pinned bytes and the documented layout', () => {
    const kek = Buffer.alloc(32, 0x4b);
    const nonce = Buffer.from(SEALED_KEY_HEX.slice(2, 26), 'hex');
    const aad = Buffer.from('kat-aad');
    const sealed = sealKey(kek, KEY, aad, () => Buffer.from(nonce));
    expect(sealed.toString('hex')).toBe(SEALED_KEY_HEX);
    const cipher = createCipheriv('aes-256-gcm', kek, nonce);
    cipher.setAAD(aad);
    const reference = Buffer.concat([Buffer.of(1), nonce, cipher.update(KEY), cipher.final(), cipher.getAuthTag()]);
    expect(reference.equals(sealed)).toBe(true);
    expect(openKey(kek, sealed, aad).equals(KEY)).toBe(true);
  });
});
