// What the S3 store's operations share: the client, the bucket and prefix, the ledger, and one way to call and classify.
import type { S3Client } from '@aws-sdk/client-s3';
import { ABORTED_CODE, classifyError, type ErrorContext } from './classifyError.js';
import { RemoteError, type UploadLedger } from './objectStore.js';
import type { DirectPut } from './directPut.js';
import type { Throttle } from './throttle.js';

export interface S3Context {
  readonly client: S3Client;
  readonly bucket: string;
  /** '' or ending in '/'; every object key sent is prefix + relative key. */
  readonly prefix: string;
  readonly ledger: UploadLedger;
  readonly partSizeBytes: number;
  readonly concurrency: number;
  readonly throttleUp: Throttle | undefined;
  readonly throttleDown: Throttle | undefined;
  /** Small PUTs signed without the SDK, on the same pool; undefined where the SDK must address the store (virtual hosts). */
  readonly direct: DirectPut | undefined;
}

/** The caller's abort, whatever the SDK or a stream made of it. */
export function abortedError(operation: string, cause?: unknown): RemoteError {
  return new RemoteError(`${operation} was aborted`, 'skip', ABORTED_CODE, undefined, { cause });
}

/** Runs one remote step; any failure leaves as a RemoteError (Aborted when `signal` fired). */
export async function callRemote<T>(context: ErrorContext, signal: AbortSignal | undefined, step: () => Promise<T>): Promise<T> {
  if (signal?.aborted) throw abortedError(context.operation, signal.reason);
  try {
    return await step();
  } catch (err) {
    if (signal?.aborted && !(err instanceof RemoteError && err.code !== ABORTED_CODE)) throw abortedError(context.operation, err);
    throw classifyError(err, context);
  }
}

/** True for the answers S3 gives when an object (or upload) is not there. */
export function isNotFound(err: unknown): boolean {
  return err instanceof RemoteError && (err.code === 'NoSuchKey' || err.code === 'NotFound' || err.code === 'NoSuchUpload');
}
