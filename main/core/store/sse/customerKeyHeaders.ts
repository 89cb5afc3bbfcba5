// Parsing and validating an SSE-C key trio in S3's order (S3-SSE.md 4.2-4.4).
import { createHash } from 'node:crypto';
import { S3Error } from '../errors.js';
import type { RequestContext } from '../requestContext.js';
import { SSE, type CustomerKeyHeaderNames, TARGET_KEY_HEADERS, COPY_SOURCE_KEY_HEADERS } from './sseHeaders.js';

export interface CustomerKey {
  /** The raw key bytes; held only for the request, never stored or logged. */
  key: Buffer;
  /** The base64 MD5 the client sent, echoed back on success. */
  keyMd5: string;
}

/** An SSE-C AES256 key is 32 raw bytes. */
export const CUSTOMER_KEY_BYTES = 32;

const SSE_C_ARGUMENT = { ArgumentName: SSE };

export const MSG_INSECURE = 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.';
const MSG_NEED_ALGORITHM = 'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.';
const MSG_NEED_KEY = 'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.';
const MSG_NEED_MD5 = 'Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.';
const MSG_MD5_MISMATCH = 'The calculated MD5 hash of the key did not match the hash that was provided.';
const MSG_BAD_KEY = 'The secret key was invalid for the specified algorithm.';

function anyPresent(ctx: RequestContext, names: CustomerKeyHeaderNames): boolean {
  return [names.algorithm, names.key, names.keyMd5].some((n) => ctx.header(n) !== undefined);
}

/** True when the request carries any SSE-C header, for the object or for a copy source. */
export function carriesCustomerKey(ctx: RequestContext): boolean {
  return anyPresent(ctx, TARGET_KEY_HEADERS) || anyPresent(ctx, COPY_SOURCE_KEY_HEADERS);
}

/**
 * Step 0 of S3-SSE.md 4.3: SSE-C travels only over TLS (unless a test rig allows otherwise),
 * checked before anything else about the key so that a key sent in the clear is never used.
 */
export function assertCustomerKeyTransport(ctx: RequestContext): void {
  if (!ctx.secure && !ctx.services.options.allowInsecureSseC && carriesCustomerKey(ctx)) {
    throw new S3Error('InvalidRequest', MSG_INSECURE);
  }
}

/**
 * Steps 2-7 of S3-SSE.md 4.3 for one trio; undefined when none of its headers is present.
 * A key that is not strict base64 is refused on every path (Node's decoder would skip the stray
 * characters and could yield a valid key). On reads a well-formed key of the wrong length is passed
 * on so the key check answers 403, as AWS does.
 */
export function parseCustomerKey(ctx: RequestContext, names: CustomerKeyHeaderNames, use: 'write' | 'read'): CustomerKey | undefined {
  if (!anyPresent(ctx, names)) return undefined;
  const algorithm = ctx.header(names.algorithm);
  const keyText = ctx.header(names.key);
  const md5Text = ctx.header(names.keyMd5);
  if (algorithm === undefined) throw new S3Error('InvalidArgument', MSG_NEED_ALGORITHM, SSE_C_ARGUMENT);
  if (keyText === undefined) throw new S3Error('InvalidArgument', MSG_NEED_KEY, SSE_C_ARGUMENT);
  if (algorithm !== 'AES256') {
    throw new S3Error('InvalidEncryptionAlgorithmError', undefined, { ArgumentName: SSE, ArgumentValue: algorithm });
  }
  if (md5Text === undefined) throw new S3Error('InvalidArgument', MSG_NEED_MD5, SSE_C_ARGUMENT);
  const key = Buffer.from(keyText, 'base64');
  if (createHash('md5').update(key).digest('base64') !== md5Text) {
    throw new S3Error('InvalidArgument', MSG_MD5_MISMATCH, { ...SSE_C_ARGUMENT, ArgumentValue: null });
  }
  const canonical = key.toString('base64') === keyText.replace(/\s+/g, '');
  if (!canonical || (use === 'write' && key.length !== CUSTOMER_KEY_BYTES)) throw new S3Error('InvalidArgument', MSG_BAD_KEY, SSE_C_ARGUMENT);
  return { key, keyMd5: md5Text };
}
