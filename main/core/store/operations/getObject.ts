// GetObject and HeadObject: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
import { S3Error } from '../errors.js';
import { noteEncryption } from '../objects/auditNote.js';
import { checkReadConditions } from '../objects/conditions.js';
import { checksumHeaders, objectHeaders, validatorHeaders } from '../objects/objectHeaders.js';
import { primed, readObjectRange } from '../objects/objectReader.js';
import { partRange, parsePartNumber } from '../objects/partSelection.js';
import { contentRange, parseRange, type ByteRange } from '../objects/range.js';
import { lookupObject, unlockObject } from '../objects/readAccess.js';
import type { OperationHandler, RequestContext, S3Response } from '../requestContext.js';
import { assertCustomerKeyTransport } from '../sse/customerKeyHeaders.js';
import { assertNoWriteEncryptionHeaders } from '../sse/requestEncryption.js';
import { requireBucket } from './bucketNames.js';

async function readObject(ctx: RequestContext, withBody: boolean): Promise<S3Response> {
  const bucket = requireBucket(ctx);
  assertCustomerKeyTransport(ctx);
  const { object, streams, release } = lookupObject(ctx, bucket.name, ctx.key!);
  try {
    const checksumMode = ctx.header('x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
    const { objectKey, customer } = unlockObject(ctx, object, undefined, withBody || checksumMode);
    assertNoWriteEncryptionHeaders(ctx);
    checkReadConditions(ctx, object.etag, object.lastModified, validatorHeaders(object));
    const partNumberText = ctx.query.get('partNumber');
    const rangeHeader = ctx.header('range');
    if (partNumberText !== null && rangeHeader !== undefined) {
      throw new S3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter');
    }
    let range: ByteRange | undefined;
    const headers: Record<string, string | number> = objectHeaders(ctx, object, customer);
    if (partNumberText !== null) {
      range = partRange(object, streams, parsePartNumber(partNumberText));
      if (object.partsCount > 0) headers['x-amz-mp-parts-count'] = object.partsCount;
    } else {
      range = parseRange(rangeHeader, object.size);
    }
    const partial = range !== undefined && (object.partsCount > 0 || range.start !== 0 || range.end !== object.size || rangeHeader !== undefined);
    const served = range ?? { start: 0, end: object.size };
    Object.assign(headers, checksumHeaders(ctx, object, objectKey, !partial));
    headers['Content-Length'] = served.end - served.start;
    noteEncryption(ctx.auditNote, object.encryption, withBody ? served.end - served.start : 0);
    if (partial) headers['Content-Range'] = contentRange(served, object.size);
    const status = partial ? 206 : 200;
    if (!withBody) {
      release();
      return { status, headers };
    }
    const body = await primed(readObjectRange(ctx.services, object, streams, objectKey!, served, release));
    return { status, headers, body };
  } catch (err) {
    release();
    throw err;
  }
}

export const getObject: OperationHandler = (ctx) => readObject(ctx, true);
export const headObject: OperationHandler = (ctx) => readObject(ctx, false);
