// DeleteObjects: https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
// One transaction for the whole batch: up to 1000 keys cost one fsync.
import { S3Error } from '../errors.js';
import { readBodyText } from '../objects/bodyText.js';
import { validateKey } from '../addressing.js';
import type { OperationHandler } from '../requestContext.js';
import { buildXml, childList, childText, parseXmlBody } from '../xml.js';
import { assertAllowedByPolicy } from '../access/bucketPolicyGate.js';
import { requireBucket } from './bucketNames.js';

const MAX_KEYS_PER_REQUEST = 1000;

export const deleteObjects: OperationHandler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const root = parseXmlBody(await readBodyText(ctx), 'Delete');
  const quiet = childText(root, 'Quiet') === 'true';
  const objects = childList(root, 'Object');
  if (objects.length === 0 || objects.length > MAX_KEYS_PER_REQUEST) throw new S3Error('MalformedXML');
  const keys = objects.map((o) => {
    const key = childText(o, 'Key');
    if (key === undefined) throw new S3Error('MalformedXML');
    return key;
  });
  const { meta } = ctx.services;
  const outcome = await ctx.services.commit(() => {
    const deleted: string[] = [];
    const errors: { Key: string; Code: string; Message: string }[] = [];
    const garbage: string[] = [];
    for (const key of keys) {
      try {
        validateKey(key);
        assertAllowedByPolicy(ctx, bucket, 's3:DeleteObject', key, {});
        garbage.push(...meta.deleteObject(bucket.name, key));
        deleted.push(key);
      } catch (err) {
        const s3 = err instanceof S3Error ? err : new S3Error('InternalError');
        errors.push({ Key: key, Code: s3.code, Message: s3.message });
      }
    }
    return { result: { deleted, errors }, garbage };
  });
  return {
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml('DeleteResult', {
      Deleted: quiet ? [] : outcome.deleted.map((key) => ({ Key: key })),
      Error: outcome.errors,
    }),
  };
};
