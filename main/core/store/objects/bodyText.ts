// The body of a request that sends a document (XML), read whole with a size cap.
import { S3Error } from '../errors.js';
import type { RequestContext } from '../requestContext.js';
import { startBodyIntegrity } from './bodyIntegrity.js';

/**
 * Reads a small request body (XML documents) with a size cap. Content-MD5 and x-amz-checksum-*
 * are checked as on any upload (400 BadDigest): PutBucketEncryption is checksum-required in the SDKs.
 */
export async function readBodyText(ctx: RequestContext, maxBytes = 2 * 1024 * 1024): Promise<string> {
  const integrity = startBodyIntegrity(ctx, false);
  const payload = ctx.body();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of payload) {
    total += chunk.length;
    if (total > maxBytes) throw new S3Error('MaxMessageLengthExceeded');
    for (const hasher of integrity.hashers) hasher.update(chunk);
    chunks.push(chunk);
  }
  integrity.verify(payload.trailers());
  return Buffer.concat(chunks).toString('utf8');
}
