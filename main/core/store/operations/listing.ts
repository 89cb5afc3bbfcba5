// One page of a bucket listing with prefix, delimiter and a start position: shared by ListObjects V1/V2 and ListObjectVersions.
import { S3Error } from '../errors.js';
import type { MetadataStore } from '../storage/metadataStore.js';
import type { ListedObject } from '../storage/records.js';

export interface ListRequest {
  prefix: string;
  delimiter: string;
  /** List keys strictly after this one ('' = from the start). */
  after: string;
  maxKeys: number;
}

export interface ListPage {
  objects: ListedObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  last: string | undefined;
}

/**
 * U+10FFFF is the greatest code point, and SQLite compares text as UTF-8 bytes, so
 * `key > prefix + U+10FFFF` skips every key under a common prefix in one index seek.
 */
const AFTER_ALL = '\u{10FFFF}';

/** S3 caps every listing page at 1000 entries. */
export const MAX_LIST_KEYS = 1000;

export function parseMaxKeys(value: string | null, name = 'max-keys'): number {
  if (value === null) return MAX_LIST_KEYS;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new S3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: value });
  }
  return Math.min(Number(value), MAX_LIST_KEYS);
}

function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  if (delimiter === '') return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

export function listPage(meta: MetadataStore, bucket: string, request: ListRequest): ListPage {
  const { prefix, delimiter, maxKeys } = request;
  const page: ListPage = { objects: [], commonPrefixes: [], isTruncated: false, last: undefined };
  // max-keys=0 lists nothing and is not truncated, as S3 answers (s3-tests test_bucket_list_maxkeys_zero):
  // a truncated page without a next position would send a paginating client round forever.
  if (maxKeys === 0) return page;
  // A start position inside a common prefix that was already returned resumes after all of it.
  const startPrefix = request.after.startsWith(prefix) ? commonPrefixOf(request.after, prefix, delimiter) : undefined;
  let cursor = startPrefix ? startPrefix + AFTER_ALL : request.after;
  let count = 0;
  while (true) {
    const wanted = maxKeys - count;
    const rows = meta.listObjects(bucket, cursor, prefix, Math.max(wanted, 0) + 1);
    let restart = false;
    for (const row of rows) {
      if (!row.key.startsWith(prefix)) return page;
      if (count === maxKeys) {
        page.isTruncated = true;
        return page;
      }
      const common = commonPrefixOf(row.key, prefix, delimiter);
      if (common !== undefined) {
        page.commonPrefixes.push(common);
        page.last = common;
        cursor = common + AFTER_ALL;
        count++;
        restart = true;
        break;
      }
      page.objects.push(row);
      page.last = row.key;
      cursor = row.key;
      count++;
    }
    if (!restart && rows.length <= wanted) return page;
  }
}

/** `encoding-type=url`: keys go out percent-encoded so any byte survives XML (aws cli always asks for it). */
export function encoder(encodingType: string | null): (text: string) => string {
  if (encodingType === null) return (text) => text;
  if (encodingType !== 'url') {
    throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: encodingType });
  }
  return (text) => encodeURIComponent(text);
}
