// Object metadata from request headers and back to response headers; stored and served in plaintext, as S3 does.
import type { IncomingHttpHeaders } from 'node:http';
import { storedContentEncoding } from '../auth/index.js';
import { S3Error } from '../errors.js';
import { STORED_SYSTEM_HEADERS, type ObjectAttributes } from '../storage/records.js';

const USER_META_PREFIX = 'x-amz-meta-';
/** S3's limit on user-defined metadata: 2 KB of names and values. */
const MAX_USER_METADATA_BYTES = 2048;
/** S3's default Content-Type for objects stored without one. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/** The x-amz-storage-class values S3 knows (API StorageClass enum); any other is 400 InvalidStorageClass. */
const STORAGE_CLASSES = [
  'STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE',
  'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE', 'FSX_OPENZFS', 'FSX_ONTAP',
];

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

export function attributesFromHeaders(headers: IncomingHttpHeaders): ObjectAttributes {
  const userMetadata: Record<string, string> = {};
  let metaBytes = 0;
  const systemHeaders: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    const value = single(raw);
    if (value === undefined) continue;
    if (name.startsWith(USER_META_PREFIX)) {
      const metaName = name.slice(USER_META_PREFIX.length);
      userMetadata[metaName] = value;
      metaBytes += Buffer.byteLength(metaName) + Buffer.byteLength(value);
    } else if ((STORED_SYSTEM_HEADERS as readonly string[]).includes(name)) {
      systemHeaders[name] = value;
    }
  }
  if (metaBytes > MAX_USER_METADATA_BYTES) throw new S3Error('MetadataTooLarge');
  const storageClass = systemHeaders['x-amz-storage-class'];
  if (storageClass !== undefined && !STORAGE_CLASSES.includes(storageClass)) throw new S3Error('InvalidStorageClass', undefined, { StorageClassRequested: storageClass });
  // aws-chunked describes only how the body travelled; S3 does not store it.
  const contentEncoding = storedContentEncoding(headers);
  if (contentEncoding === undefined) delete systemHeaders['content-encoding'];
  else systemHeaders['content-encoding'] = contentEncoding;
  return { contentType: single(headers['content-type']), systemHeaders, userMetadata };
}

/** Query parameters of a GET that override response headers (S3 GetObject response-*). */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

export function attributeHeaders(attributes: ObjectAttributes, query?: URLSearchParams): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': attributes.contentType ?? DEFAULT_CONTENT_TYPE };
  for (const [name, value] of Object.entries(attributes.systemHeaders)) {
    if (name !== 'x-amz-storage-class' || value !== 'STANDARD') headers[name] = value;
  }
  for (const [name, value] of Object.entries(attributes.userMetadata)) headers[USER_META_PREFIX + name] = value;
  if (query) {
    for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
      const value = query.get(param);
      if (value !== null) {
        delete headers[header.toLowerCase()];
        headers[header] = value;
      }
    }
  }
  return headers;
}
