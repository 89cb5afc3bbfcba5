// S3's rules for user metadata and object tags, checked before a request so both stores refuse the same input alike.
import { RemoteError } from './objectStore.js';

/** S3 caps user metadata (names plus values, UTF-8) at 2 KB per object. */
export const MAX_METADATA_BYTES = 2048;
/** S3 allows at most 10 tags per object, keys up to 128 characters, values up to 256. */
export const MAX_TAGS = 10;
const MAX_TAG_KEY_CHARS = 128;
const MAX_TAG_VALUE_CHARS = 256;

/** HTTP token characters: what a header name may hold. */
const METADATA_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
/** Printable ASCII without edge spaces, so a value survives the header round trip byte for byte. */
const METADATA_VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;
/** Letters, digits, spaces and + - = . _ : / @ (the tag alphabet AWS documents). */
const TAG_TEXT = /^[\p{L}\p{N}\p{Zs}+\-=._:/@]*$/u;

function refuse(code: string, message: string): never {
  throw new RemoteError(message, 'skip', code, undefined);
}

/**
 * Lower-cases the names (as S3 stores them) and checks them. RemoteError 'skip' with code
 * InvalidArgument for a bad name, a non-printable or space-edged value, or two names that differ
 * only by case; MetadataTooLarge above 2 KB.
 */
export function normaliseMetadata(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  let bytes = 0;
  for (const [rawName, value] of Object.entries(metadata ?? {})) {
    const name = rawName.toLowerCase();
    if (!METADATA_NAME.test(name)) refuse('InvalidArgument', 'a metadata name is not a valid header name');
    if (!METADATA_VALUE.test(value)) refuse('InvalidArgument', 'a metadata value must be printable ASCII without leading or trailing spaces');
    if (name in out) refuse('InvalidArgument', 'two metadata names differ only by case');
    out[name] = value;
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  if (bytes > MAX_METADATA_BYTES) refuse('MetadataTooLarge', `user metadata exceeds ${MAX_METADATA_BYTES} bytes`);
  return out;
}

/** RemoteError 'skip' code InvalidTag for more than 10 tags, an empty, long, reserved (aws:) or badly spelled key, or a long or badly spelled value. */
export function checkTags(tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const entries = Object.entries(tags ?? {});
  if (entries.length > MAX_TAGS) refuse('InvalidTag', `an object may carry at most ${MAX_TAGS} tags`);
  for (const [key, value] of entries) {
    if ([...key].length === 0 || [...key].length > MAX_TAG_KEY_CHARS) refuse('InvalidTag', 'a tag key must be 1 to 128 characters');
    if ([...value].length > MAX_TAG_VALUE_CHARS) refuse('InvalidTag', 'a tag value must be at most 256 characters');
    if (key.toLowerCase().startsWith('aws:')) refuse('InvalidTag', 'tag keys starting with aws: are reserved');
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value)) refuse('InvalidTag', 'a tag holds a character S3 does not allow');
  }
  return Object.fromEntries(entries);
}

/** The x-amz-tagging value: URL query encoding, each key and value percent-encoded. */
export function encodeTagging(tags: Readonly<Record<string, string>>): string {
  return Object.entries(tags)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}
