// Fast, strict decoding of a ListObjectsV2 result body; anything it does not fully understand is left to the SDK.
import { XML_DONE, XML_END, XML_START, XML_TEXT, XmlScanner } from './xmlScanner.js';

export interface DecodedObject {
  readonly key: string;
  readonly size: number;
  /** Quotes included, as sent. */
  readonly etag: string;
  readonly lastModifiedMs: number;
}

export interface DecodedListPage {
  /** In the order the store sent them. */
  readonly objects: readonly DecodedObject[];
  readonly isTruncated: boolean;
  /** As sent (possibly empty when not truncated); undefined when the element is absent. */
  readonly nextContinuationToken: string | undefined;
}

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;

/**
 * Decodes the body of a successful (HTTP 200) ListObjectsV2 response
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
 *
 * Returns undefined, never throws, when the body is anything but a plain, well-formed `ListBucketResult` this
 * decoder fully understands, so the caller can fall back to the SDK's decoding. In particular: anything the
 * scanner refuses (see `XmlScanner`); attributes on any known element but the root; text beside child elements;
 * a `Contents` without exactly one each of `Key` (non-empty), `Size` (decimal digits, a safe integer), `ETag` and
 * `LastModified` (RFC 3339, a real date); a raw CR in a key, ETag or token (XML would read it as LF); numbers or dates
 * spelled with references; `IsTruncated` absent, repeated or other than `true`/`false`; truncated without a
 * non-empty `NextContinuationToken`; `EncodingType` or `CommonPrefixes` present; `KeyCount` present but not the
 * number of objects decoded. Unknown elements are skipped with their subtree, whatever it holds.
 */
export function decodeListObjectsV2(body: string): DecodedListPage | undefined {
  const xml = new XmlScanner(body);
  if (xml.next() !== XML_START || !xml.nameIs('ListBucketResult')) return undefined;
  const objects: DecodedObject[] = [];
  let isTruncated: boolean | undefined;
  let tokenSeen = false;
  let nextContinuationToken: string | undefined;
  let keyCount = -1;
  for (let token = xml.next(); token !== XML_END; token = xml.next()) {
    if (token === XML_TEXT) {
      if (!xml.textIsWhitespace) return undefined;
      continue;
    }
    if (token !== XML_START) return undefined;
    if (xml.nameIs('Contents')) {
      const object = xml.hasAttributes ? undefined : readContents(xml, body);
      if (object === undefined) return undefined;
      objects.push(object);
    } else if (xml.nameIs('IsTruncated')) {
      if (isTruncated !== undefined || !readKnownLeaf(xml)) return undefined;
      if (xml.textIs('true')) isTruncated = true;
      else if (xml.textIs('false')) isTruncated = false;
      else return undefined;
    } else if (xml.nameIs('NextContinuationToken')) {
      if (tokenSeen || !readKnownLeaf(xml)) return undefined;
      tokenSeen = true;
      nextContinuationToken = xml.textValue();
      if (nextContinuationToken === undefined) return undefined;
    } else if (xml.nameIs('KeyCount')) {
      if (keyCount >= 0 || !readKnownLeaf(xml)) return undefined;
      keyCount = parseSafeInteger(xml, body);
      if (keyCount < 0) return undefined;
    } else if (xml.nameIs('EncodingType') || xml.nameIs('CommonPrefixes')) {
      // URL-encoded keys or grouped prefixes: the caller asks for neither, so the SDK gets to decide.
      return undefined;
    } else if (!xml.skipElement()) {
      return undefined;
    }
  }
  if (xml.next() !== XML_DONE || isTruncated === undefined) return undefined;
  if (isTruncated && !nextContinuationToken) return undefined;
  // The count the store itself reports is the check that no Contents went missing in an unknown wrapper.
  if (keyCount >= 0 && keyCount !== objects.length) return undefined;
  return { objects, isTruncated, nextContinuationToken };
}

/** After `<Contents>`: its four fields through `</Contents>`, or undefined. */
function readContents(xml: XmlScanner, body: string): DecodedObject | undefined {
  let key: string | undefined;
  let etag: string | undefined;
  let size = -1;
  let lastModifiedMs = Number.NaN;
  for (let token = xml.next(); token !== XML_END; token = xml.next()) {
    if (token === XML_TEXT) {
      if (!xml.textIsWhitespace) return undefined;
      continue;
    }
    if (token !== XML_START) return undefined;
    if (xml.nameIs('Key')) {
      if (key !== undefined || !readKnownLeaf(xml)) return undefined;
      key = xml.textValue();
      if (!key) return undefined;
    } else if (xml.nameIs('Size')) {
      if (size >= 0 || !readKnownLeaf(xml)) return undefined;
      size = parseSafeInteger(xml, body);
      if (size < 0) return undefined;
    } else if (xml.nameIs('ETag')) {
      if (etag !== undefined || !readKnownLeaf(xml)) return undefined;
      etag = xml.textValue();
      if (etag === undefined) return undefined;
    } else if (xml.nameIs('LastModified')) {
      if (!Number.isNaN(lastModifiedMs) || !readKnownLeaf(xml)) return undefined;
      lastModifiedMs = xml.textHasReference ? Number.NaN : parseRfc3339(body, xml.textStart, xml.textEnd);
      if (Number.isNaN(lastModifiedMs)) return undefined;
    } else if (!xml.skipElement()) {
      return undefined;
    }
  }
  if (key === undefined || etag === undefined || size < 0 || Number.isNaN(lastModifiedMs)) return undefined;
  return { key, size, etag, lastModifiedMs };
}

/** A known element holding only text: no attributes, no children. */
function readKnownLeaf(xml: XmlScanner): boolean {
  return !xml.hasAttributes && xml.readSimpleContent();
}

/** The last text as a non-negative safe integer of plain decimal digits, or -1. */
function parseSafeInteger(xml: XmlScanner, body: string): number {
  if (xml.textHasReference || xml.textEnd === xml.textStart) return -1;
  let value = 0;
  for (let i = xml.textStart; i < xml.textEnd; i++) {
    const digit = body.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
    // Checked at every step: below 2^53 the arithmetic is exact, and the first step past it lands above it.
    if (value > Number.MAX_SAFE_INTEGER) return -1;
  }
  return value;
}

/**
 * Epoch milliseconds of `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` in body[start, end), or NaN. Refuses dates
 * that do not exist, leap seconds and lower-case `t`/`z`. A fraction past milliseconds is rounded exactly as
 * the SDK rounds it, so both decoders agree on every timestamp.
 */
function parseRfc3339(body: string, start: number, end: number): number {
  if (end - start < 20) return Number.NaN;
  const year = digitsAt(body, start, 4);
  const month = digitsAt(body, start + 5, 2);
  const day = digitsAt(body, start + 8, 2);
  const hour = digitsAt(body, start + 11, 2);
  const minute = digitsAt(body, start + 14, 2);
  const second = digitsAt(body, start + 17, 2);
  if (
    body.charCodeAt(start + 4) !== 45 || body.charCodeAt(start + 7) !== 45 || body.charCodeAt(start + 10) !== 84 ||
    body.charCodeAt(start + 13) !== 58 || body.charCodeAt(start + 16) !== 58 ||
    year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ||
    hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
  ) {
    return Number.NaN;
  }
  let i = start + 19;
  let millis = 0;
  if (body.charCodeAt(i) === 46) {
    const fractionStart = ++i;
    while (i < end && digitsAt(body, i, 1) >= 0) i++;
    const length = i - fractionStart;
    if (length === 0) return Number.NaN;
    if (length <= 3) millis = digitsAt(body, fractionStart, length) * 10 ** (3 - length);
    else millis = Math.round(Number.parseFloat(`0.${body.slice(fractionStart, i)}`) * 1000);
  }
  let offsetMinutes = 0;
  if (i === end - 1 && body.charCodeAt(i) === 90) {
    // 'Z'
  } else if (i === end - 6 && (body.charCodeAt(i) === 43 || body.charCodeAt(i) === 45) && body.charCodeAt(i + 3) === 58) {
    const offsetHours = digitsAt(body, i + 1, 2);
    const offsetMins = digitsAt(body, i + 4, 2);
    if (offsetHours < 0 || offsetHours > 23 || offsetMins < 0 || offsetMins > 59) return Number.NaN;
    offsetMinutes = (body.charCodeAt(i) === 45 ? -1 : 1) * (offsetHours * 60 + offsetMins);
  } else {
    return Number.NaN;
  }
  const secondOfDay = (hour * 60 + minute) * 60 + second;
  return daysFromCivil(year, month, day) * MS_PER_DAY + secondOfDay * 1000 + millis - offsetMinutes * MS_PER_MINUTE;
}

/** The value of `count` decimal digits at `at`, or -1. */
function digitsAt(s: string, at: number, count: number): number {
  let value = 0;
  for (let k = 0; k < count; k++) {
    const digit = s.charCodeAt(at + k) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (Hinnant's algorithm; no two-digit-year quirks of Date.UTC). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
