// A bucket that blocks SSE-C refuses every write that would store SSE-C data (S3-SSE.md 7.4, E23).
import { S3Error } from '../errors.js';
import type { RequestContext } from '../requestContext.js';
import type { BucketRecord } from '../storage/records.js';

/**
 * 403 AccessDenied with AWS's recorded text, naming the caller as an IAM user of the store's account.
 * Reads of existing SSE-C objects and aborts of SSE-C uploads stay allowed.
 */
export function assertSseCWriteAllowed(ctx: RequestContext, bucket: BucketRecord, action: 's3:PutObject' | 's3:CopyObject', key: string): void {
  if (!bucket.blockedEncryptionTypes.includes('SSE-C')) return;
  const user = `arn:aws:iam::${ctx.services.kms.accountId}:user/${ctx.auth.accessKeyId}`;
  throw new S3Error(
    'AccessDenied',
    `User: ${user} is not authorized to perform: ${action} on resource: "arn:aws:s3:::${bucket.name}/${key}" because this bucket has blocked upload requests that specify Server Side Encryption with Customer provided keys (SSE-C). Please specify a different server-side encryption type`,
  );
}
