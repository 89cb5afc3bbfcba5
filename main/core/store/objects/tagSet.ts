// Object tag sets: read from the x-amz-tagging header or a Tagging document, checked by S3's rules, written back as XML.
//
// Rules (S3 User Guide "Categorizing your storage using tags"): at most 10 tags per object, unique
// keys, a key of 1 to 128 and a value of 0 to 256 Unicode characters counted in UTF-16 (as S3
// stores them, so a JS string's length), letters, digits, spaces and `_ . : / = + - @` only, and
// no key starting with the reserved `aws:` prefix. The errors are the ones S3 answers:
// BadRequest for too many tags, InvalidTag for a bad tag, InvalidArgument for a header that is not
// a URL-encoded query without duplicate names, MalformedXML for a document off the schema.
import { S3Error } from '../errors.js';
import type { ObjectTag } from '../storage/records.js';
import { buildXml, childList, childObject, childText, parseXmlBody } from '../xml.js';

export const TAGGING_HEADER = 'x-amz-tagging';
export const TAGGING_COUNT_HEADER = 'x-amz-tagging-count';
/** Tags one object may carry. */
export const MAX_OBJECT_TAGS = 10;
/** Longest tag key, in UTF-16 code units. */
export const MAX_TAG_KEY_LENGTH = 128;
/** Longest tag value, in UTF-16 code units. */
export const MAX_TAG_VALUE_LENGTH = 256;
const RESERVED_PREFIX = 'aws:';
/** The characters AWS allows in tag keys and values ([\p{L}\p{Z}\p{N}_.:/=+\-@], as IAM's Tag pattern writes it). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const MSG_TOO_MANY = `Object tags cannot be greater than ${MAX_OBJECT_TAGS}`;
const MSG_DUPLICATE = 'Cannot provide multiple Tags with the same key';
const MSG_RESERVED = 'Your TagKey cannot be prefixed with aws:';
const MSG_BAD_KEY = 'The TagKey you have provided is invalid';
const MSG_BAD_VALUE = 'The TagValue you have provided is invalid';
const MSG_BAD_HEADER =
  "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

function byKey(a: ObjectTag, b: ObjectTag): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Checks a tag set against S3's rules and returns it in key order (the order GetObjectTagging
 * lists tags in). Throws BadRequest past 10 tags, InvalidTag (with TagKey, and TagValue for a
 * bad value) for a duplicate key, an `aws:` key, or a key or value of the wrong length or
 * characters. An empty set is valid: it means "no tags".
 */
export function validateTagSet(tags: readonly ObjectTag[]): ObjectTag[] {
  if (tags.length > MAX_OBJECT_TAGS) throw new S3Error('BadRequest', MSG_TOO_MANY);
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (seen.has(key)) throw new S3Error('InvalidTag', MSG_DUPLICATE, { TagKey: key });
    seen.add(key);
    if (key.startsWith(RESERVED_PREFIX)) throw new S3Error('InvalidTag', MSG_RESERVED, { TagKey: key });
    if (key.length === 0 || key.length > MAX_TAG_KEY_LENGTH || !TAG_TEXT.test(key)) {
      throw new S3Error('InvalidTag', MSG_BAD_KEY, { TagKey: key });
    }
    if (value.length > MAX_TAG_VALUE_LENGTH || !TAG_TEXT.test(value)) {
      throw new S3Error('InvalidTag', MSG_BAD_VALUE, { TagKey: key, TagValue: value });
    }
  }
  return [...tags].sort(byKey);
}

/**
 * The tags of an `x-amz-tagging` header (`k1=v1&k2=v2`, form-URL-encoded, so `+` is a space);
 * empty for an absent or empty header. A name without `=` has the empty value. Throws
 * InvalidArgument (naming the header) for a pair with an unencoded second `=`, an empty name, a
 * bad percent escape or non-UTF-8 bytes, or a name given twice; then as validateTagSet.
 */
export function parseTaggingHeader(header: string | undefined): ObjectTag[] {
  if (header === undefined || header === '') return [];
  const malformed = (): S3Error => new S3Error('InvalidArgument', MSG_BAD_HEADER, { ArgumentName: TAGGING_HEADER, ArgumentValue: header });
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      throw malformed();
    }
  };
  const tags: ObjectTag[] = [];
  const seen = new Set<string>();
  for (const pair of header.split('&')) {
    if (pair === '') continue;
    const [rawKey = '', rawValue = '', ...extra] = pair.split('=');
    if (extra.length > 0 || rawKey === '') throw malformed();
    const key = decode(rawKey);
    if (seen.has(key)) throw malformed();
    seen.add(key);
    tags.push({ key, value: decode(rawValue) });
  }
  return validateTagSet(tags);
}

/**
 * The tags of a PutObjectTagging body: `<Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>`
 * (S3's namespace optional). Throws MalformedXML for a document that is not well formed, has no
 * TagSet, or a Tag without its Key or Value element; then as validateTagSet.
 */
export function parseTaggingDocument(xml: string): ObjectTag[] {
  const tagSet = childObject(parseXmlBody(xml, 'Tagging'), 'TagSet');
  if (!tagSet) throw new S3Error('MalformedXML');
  const tags = childList(tagSet, 'Tag').map((tag) => {
    const key = childText(tag, 'Key');
    const value = childText(tag, 'Value');
    if (key === undefined || value === undefined) throw new S3Error('MalformedXML');
    return { key, value };
  });
  return validateTagSet(tags);
}

/** The GetObjectTagging answer: the Tagging document with S3's namespace. */
export function taggingDocument(tags: readonly ObjectTag[]): string {
  const tagSet = tags.length === 0 ? '' : { Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) };
  return buildXml('Tagging', { TagSet: tagSet });
}

/** `x-amz-tagging-count` for GET and HEAD, sent only when the object has tags (as S3 does). */
export function taggingCountHeader(tags: readonly ObjectTag[]): Record<string, string> {
  return tags.length > 0 ? { [TAGGING_COUNT_HEADER]: String(tags.length) } : {};
}
