// Test support: a whole multipart upload through the SDK, and the S3 multipart ETag formula computed independently.
import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type CompleteMultipartUploadCommandOutput,
  type CreateMultipartUploadCommandInput,
  type S3Client,
  type UploadPartCommandOutput,
} from '@aws-sdk/client-s3';

/** 5 MiB: the smallest part S3 accepts before the last one. */
export const MIB5 = 5 * 1024 * 1024;

/** MD5 of the concatenated binary part ETags, '-', the part count (S3-SSE.md 9). */
export function multipartEtag(partEtags: readonly string[]): string {
  const md5 = createHash('md5');
  for (const etag of partEtags) md5.update(Buffer.from(etag.replace(/"/g, ''), 'hex'));
  return `"${md5.digest('hex')}-${partEtags.length}"`;
}

export interface UploadedParts {
  uploadId: string;
  parts: UploadPartCommandOutput[];
  complete: CompleteMultipartUploadCommandOutput;
}

/**
 * Create, one UploadPart per buffer, Complete. `create` adds CreateMultipartUpload members
 * (SSE headers); `partExtra` is sent with every UploadPart (an SSE-C trio).
 */
export async function uploadMultipart(
  s3: S3Client,
  bucket: string,
  key: string,
  bodies: readonly Buffer[],
  create: Partial<CreateMultipartUploadCommandInput> = {},
  partExtra: Record<string, string> = {},
): Promise<UploadedParts> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...create }));
  const parts: UploadPartCommandOutput[] = [];
  for (const [i, body] of bodies.entries()) {
    parts.push(await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: body, ...partExtra })));
  }
  const complete = await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: parts.map((p, i) => ({ PartNumber: i + 1, ETag: p.ETag })) },
    }),
  );
  return { uploadId: UploadId!, parts, complete };
}
