// The wrapped file key as text for an object tag: `<masterKeyId>.<base64url(fileKeyId || sealed key)>`.
import { FileKeyDescriptorError } from './vaultErrors.js';
import type { WrappedKey } from './vaultTypes.js';

const FILE_KEY_ID_BYTES = 8;
/** sealKey output for a 32-byte key: version byte, 12-byte nonce, 32 bytes, 16-byte tag. */
const SEALED_KEY_BYTES = 61;
const PAYLOAD_CHARS = Math.ceil(((FILE_KEY_ID_BYTES + SEALED_KEY_BYTES) * 4) / 3);
const DESCRIPTOR = new RegExp(`^([0-9a-f]{16})\\.([A-Za-z0-9_-]{${PAYLOAD_CHARS}})$`);

/** 109 characters: well inside S3's 256-character tag values, and only characters tags allow. */
export const DESCRIPTOR_LENGTH = 16 + 1 + PAYLOAD_CHARS;

export interface ParsedDescriptor {
  masterKeyId: string;
  /** 16 hex characters, bound into the seal's associated data. */
  fileKeyId: string;
  sealed: Buffer;
}

export function formatDescriptor(masterKeyId: string, fileKeyId: string, sealed: Buffer): WrappedKey {
  if (sealed.length !== SEALED_KEY_BYTES) throw new RangeError('a sealed file key is 61 bytes');
  const payload = Buffer.concat([Buffer.from(fileKeyId, 'hex'), sealed]).toString('base64url');
  return `${masterKeyId}.${payload}` as WrappedKey;
}

/** FileKeyDescriptorError for anything that is not exactly a descriptor (the text is not echoed). */
export function parseDescriptor(text: string): ParsedDescriptor {
  const match = DESCRIPTOR.exec(text);
  if (!match) throw new FileKeyDescriptorError(`not a file key descriptor (expected <16 hex>.<${PAYLOAD_CHARS} base64url characters>, ${DESCRIPTOR_LENGTH} in all)`);
  const payload = Buffer.from(match[2]!, 'base64url');
  return {
    masterKeyId: match[1]!,
    fileKeyId: payload.subarray(0, FILE_KEY_ID_BYTES).toString('hex'),
    sealed: payload.subarray(FILE_KEY_ID_BYTES),
  };
}
