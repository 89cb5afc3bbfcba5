// Key ids, key material ids, the store's account id and KMS ARNs: how they are made and parsed.
import type { RandomSource } from '../../crypto/random.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MATERIAL_ID = /^[0-9a-f]{64}$/;
const ACCOUNT_ID = /^\d{12}$/;
/** Region names as AWS spells them (us-east-1, ap-southeast-2, us-gov-west-1), or a short custom name. */
const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d+$|^[a-z0-9-]{2,32}$/;

/** Length of a key material id in bytes; shown as 64 hex digits, like AWS's KeyMaterialId. */
export const MATERIAL_ID_BYTES = 32;

/** A random (version 4, RFC 9562) UUID in lowercase, the form AWS key ids take. */
export function newUuid(random: RandomSource): string {
  const b = Buffer.from(random(16));
  if (b.length !== 16) throw new RangeError('random source returned the wrong length');
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function isKeyId(text: string): boolean {
  return UUID.test(text);
}

/** The 16 bytes of a UUID, for the fixed-size ciphertext blob header. */
export function keyIdBytes(keyId: string): Buffer {
  return Buffer.from(keyId.replaceAll('-', ''), 'hex');
}

export function keyIdFromBytes(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Random rather than derived from the material: a hash of the material would be a fingerprint
 * of a secret, and a random id is just as unique.
 */
export function newMaterialId(random: RandomSource): string {
  const b = random(MATERIAL_ID_BYTES);
  if (b.length !== MATERIAL_ID_BYTES) throw new RangeError('random source returned the wrong length');
  return b.toString('hex');
}

export function isMaterialId(text: string): boolean {
  return MATERIAL_ID.test(text);
}

/** Twelve decimal digits, drawn without modulo bias (each digit from one byte below 250). */
export function newAccountId(random: RandomSource): string {
  let digits = '';
  while (digits.length < 12) {
    for (const byte of random(16)) {
      if (byte < 250 && digits.length < 12) digits += String(byte % 10);
    }
  }
  return digits;
}

export function isAccountId(text: string): boolean {
  return ACCOUNT_ID.test(text);
}

export function isRegionName(text: string): boolean {
  return REGION.test(text);
}

export function keyArn(region: string, accountId: string, keyId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

/** `aliasName` includes its `alias/` prefix, as AliasArn does. */
export function aliasArn(region: string, accountId: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${accountId}:${aliasName}`;
}

export type ParsedKmsArn =
  | { kind: 'key'; region: string; accountId: string; keyId: string }
  | { kind: 'alias'; region: string; accountId: string; aliasName: string };

/**
 * Parses `arn:aws:kms:<region>:<account>:key/<id>` and `…:alias/<name>`. Returns undefined for
 * anything else, including other partitions and services: Coffer only ever issues `aws` ARNs.
 * The key id is not checked here, so a malformed id inside a good ARN can be told apart.
 */
export function parseKmsArn(text: string): ParsedKmsArn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[1] !== 'aws' || parts[2] !== 'kms') return undefined;
  const region = parts[3]!;
  const accountId = parts[4]!;
  const resource = parts.slice(5).join(':');
  if (!isRegionName(region) || !isAccountId(accountId)) return undefined;
  if (resource.startsWith('key/') && resource.length > 4) return { kind: 'key', region, accountId, keyId: resource.slice(4) };
  if (resource.startsWith('alias/') && resource.length > 6) return { kind: 'alias', region, accountId, aliasName: resource };
  return undefined;
}
