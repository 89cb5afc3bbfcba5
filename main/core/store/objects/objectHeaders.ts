// The headers GET and HEAD answer with for an object (entity, metadata, tag count, encryption, checksum).
import type { RequestContext } from '../requestContext.js';
import { encryptionResponseHeaders } from '../sse/responseHeaders.js';
import type { CustomerKey } from '../sse/customerKeyHeaders.js';
import type { ObjectChecksum } from '../sse/storedEncryption.js';
import type { ObjectRecord } from '../storage/records.js';
import { attributeHeaders } from './attributes.js';
import { openChecksumText } from './sealing.js';
import { taggingCountHeader } from './tagSet.js';

export function quotedEtag(etag: string): string {
  return `"${etag}"`;
}

/** ETag and Last-Modified: what a 304 still carries. */
export function validatorHeaders(object: ObjectRecord): Record<string, string> {
  return { ETag: quotedEtag(object.etag), 'Last-Modified': object.lastModified.toUTCString() };
}

export function objectHeaders(ctx: RequestContext, object: ObjectRecord, customer: CustomerKey | undefined): Record<string, string> {
  return {
    ...attributeHeaders(object, ctx.method === 'GET' ? ctx.query : undefined),
    ...validatorHeaders(object),
    'Accept-Ranges': 'bytes',
    ...taggingCountHeader(object.tags),
    ...encryptionResponseHeaders(object.encryption, customer),
  };
}

/**
 * The stored checksum, when the client asks for it (x-amz-checksum-mode: ENABLED) and the
 * response covers the whole object; a part or range has no checksum of its own here.
 */
export function checksumHeaders(ctx: RequestContext, object: ObjectRecord, objectKey: Buffer | undefined, wholeObject: boolean): Record<string, string> {
  if (!object.checksum || !objectKey || !wholeObject || ctx.header('x-amz-checksum-mode')?.toUpperCase() !== 'ENABLED') return {};
  const identity = { bucket: object.bucket, key: object.key, uploadId: object.uploadId };
  const checksum = JSON.parse(openChecksumText(object.checksum, objectKey, object.encryption, identity)) as ObjectChecksum;
  return {
    [`x-amz-checksum-${checksum.algorithm.toLowerCase()}`]: checksum.value,
    'x-amz-checksum-type': checksum.type,
  };
}
