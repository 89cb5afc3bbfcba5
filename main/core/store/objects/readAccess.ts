// Opening a stored object for reading: lookup, SSE checks in S3's order, key unsealing (S3-SSE.md R5.4 reads, 4.4).
import { S3Error } from '../errors.js';
import type { RequestContext } from '../requestContext.js';
import { parseCustomerKey, type CustomerKey } from '../sse/customerKeyHeaders.js';
import { TARGET_KEY_HEADERS, type CustomerKeyHeaderNames } from '../sse/sseHeaders.js';
import type { ObjectRecord, StreamRecord } from '../storage/records.js';
import { noteEncryption } from './auditNote.js';
import { customerKeyFits, MSG_WRONG_CUSTOMER_KEY, unsealObjectKey } from './sealing.js';

const MSG_KEY_REQUIRED = 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.';
const MSG_NOT_APPLICABLE = 'The encryption parameters are not applicable to this object.';

export interface OpenObject {
  object: ObjectRecord;
  streams: StreamRecord[];
  objectKey: Buffer;
  customer: CustomerKey | undefined;
  /** Unpins the object's blobs; call exactly when done reading (the reader does it for you). */
  release: () => void;
}

/** The object, or 404 NoSuchKey. Its blobs are pinned in the same tick as the lookup. */
export function lookupObject(ctx: RequestContext, bucket: string, key: string): { object: ObjectRecord; streams: StreamRecord[]; release: () => void } {
  const { meta, blobs } = ctx.services;
  const object = meta.getObject(bucket, key);
  if (!object) throw new S3Error('NoSuchKey', undefined, { Key: key });
  const streams = meta.getStreams(bucket, key);
  // Noted before any key check, so a refused read still shows which encryption it met.
  noteEncryption(ctx.auditNote, object.encryption);
  return { object, streams, release: blobs.pin(streams.map((s) => s.blobId)) };
}

/**
 * Checks the request's SSE-C trio against the object and unseals its key. With `unseal: false`
 * (a HEAD that returns no checksum) the SSE-C key is still checked, but no key is opened: a HEAD
 * of an SSE-KMS object then needs no KMS Decrypt, as on S3 (S3-SSE.md R5.5).
 */
export function unlockObject(
  ctx: RequestContext,
  object: ObjectRecord,
  names: CustomerKeyHeaderNames = TARGET_KEY_HEADERS,
  unseal = true,
): { objectKey: Buffer | undefined; customer: CustomerKey | undefined } {
  const customer = parseCustomerKey(ctx, names, 'read');
  if (object.encryption.mode === 'SSE-C' && !customer) throw new S3Error('InvalidRequest', MSG_KEY_REQUIRED);
  if (object.encryption.mode !== 'SSE-C' && customer) throw new S3Error('InvalidRequest', MSG_NOT_APPLICABLE);
  const identity = { bucket: object.bucket, key: object.key, uploadId: object.uploadId };
  if (!unseal) {
    if (customer && !customerKeyFits(object.encryption, customer, identity)) throw new S3Error('AccessDenied', MSG_WRONG_CUSTOMER_KEY);
    return { objectKey: undefined, customer };
  }
  return { objectKey: unsealObjectKey(object.encryption, identity, ctx.keys, customer), customer };
}

export function openObject(ctx: RequestContext, bucket: string, key: string, names?: CustomerKeyHeaderNames): OpenObject {
  const found = lookupObject(ctx, bucket, key);
  try {
    const unlocked = unlockObject(ctx, found.object, names);
    return { ...found, objectKey: unlocked.objectKey!, customer: unlocked.customer };
  } catch (err) {
    found.release();
    throw err;
  }
}
