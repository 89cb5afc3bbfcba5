// The SSE-KMS encryption context: the client's header parsed (S3-SSE.md 3.1, E4) and S3's default pair added.

export const SSE_CONTEXT_HEADER = 'x-amz-server-side-encryption-context';

const MSG_BAD_CONTEXT =
  "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map";

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The context as the client sent it: the exact header text (replayed in responses) and its pairs. */
export interface ClientContext {
  raw: string;
  pairs: Record<string, string>;
}

/** Throws the message of S3-SSE.md E4 for anything but base64 of a JSON object of strings. */
export function parseClientContext(raw: string, fail: (message: string) => Error): ClientContext {
  // Node's base64 decoder skips characters outside the alphabet and UTF-8 decoding replaces bad
  // bytes, so both would accept a header that is neither base64 nor UTF-8: check both strictly.
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.toString('base64') !== raw) throw fail(MSG_BAD_CONTEXT);
  let parsed: unknown;
  try {
    parsed = JSON.parse(STRICT_UTF8.decode(bytes));
  } catch {
    throw fail(MSG_BAD_CONTEXT);
  }
  const isMap =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'string');
  if (!isMap) throw fail(MSG_BAD_CONTEXT);
  return { raw, pairs: parsed as Record<string, string> };
}

/**
 * The context KMS binds a data key to: the client's pairs plus `aws:s3:arn`, the object's ARN, or
 * the bucket's when a bucket key is used. S3 always sets that pair itself (AWS-UG UsingKMSEncryption).
 */
export function kmsEncryptionContext(bucket: string, key: string, bucketKey: boolean, client: Record<string, string> | undefined): Record<string, string> {
  return { ...client, 'aws:s3:arn': bucketKey ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}` };
}
