// The SSE condition-key values a request carries, for PolicyRequest.conditionValues.
//
// S3-SSE.md 7.5: the keys reflect only what the request sent, so a write relying on the bucket's
// default encryption has no s3:x-amz-server-side-encryption value and a `Null` Deny refuses it
// (aws-quickstart/quickstart-compliance-common#29). The keys come with s3:PutObject alone; other
// actions carry none of them, so a Deny on `s3:*` with a `Null: true` condition also denies reads,
// as it does on AWS.
//
// Multipart: CreateMultipartUpload, UploadPart, UploadPartCopy and CompleteMultipartUpload are all
// authorised as s3:PutObject. Parts and Complete cannot carry the SSE header, yet AWS's "deny
// unencrypted uploads" policies let `aws s3 cp --sse` multipart uploads through; the store must
// therefore give part and complete requests the values stored with the upload (the derived rule
// in 7.5), which uploadConditionValues does.
import type { OperationName } from '../router.js';
import { SSE, SSE_C_ALGORITHM, SSE_KMS_KEY_ID } from '../sse/sseHeaders.js';
import type { StoredEncryption } from '../sse/storedEncryption.js';
import { SSE_C_ALGORITHM_CONDITION_KEY, SSE_CONDITION_KEY, SSE_KMS_KEY_ID_CONDITION_KEY } from './types.js';

export type SseConditionValues = Record<string, string | undefined>;

/** A request header by lower-case name (RequestContext.header). */
export type HeaderLookup = (name: string) => string | undefined;

export const NO_CONDITION_VALUES: SseConditionValues = Object.freeze({});

/**
 * For a write that states its own encryption (PutObject, CopyObject's destination,
 * CreateMultipartUpload): the three headers exactly as sent, never the bucket default.
 */
export function requestConditionValues(header: HeaderLookup): SseConditionValues {
  return {
    [SSE_CONDITION_KEY]: header(SSE),
    [SSE_KMS_KEY_ID_CONDITION_KEY]: header(SSE_KMS_KEY_ID),
    [SSE_C_ALGORITHM_CONDITION_KEY]: header(SSE_C_ALGORITHM),
  };
}

/**
 * For UploadPart, UploadPartCopy and CompleteMultipartUpload: what the upload was created with.
 * The stored record cannot tell an explicit `AES256` from the bucket default, so an SSE-S3 upload
 * counts as having sent `AES256`; its CreateMultipartUpload was already checked with the headers
 * it really sent. SSE-C is always AES256 (S3-SSE.md E14).
 */
export function uploadConditionValues(stored: StoredEncryption): SseConditionValues {
  switch (stored.mode) {
    case 'SSE-S3':
      return { [SSE_CONDITION_KEY]: 'AES256' };
    case 'SSE-C':
      return { [SSE_C_ALGORITHM_CONDITION_KEY]: 'AES256' };
    case 'SSE-KMS':
      return { [SSE_CONDITION_KEY]: stored.algorithm, [SSE_KMS_KEY_ID_CONDITION_KEY]: stored.keyArn };
  }
}

const FROM_REQUEST: ReadonlySet<string> = new Set<OperationName>(['PutObject', 'CopyObject', 'CreateMultipartUpload']);
const FROM_UPLOAD: ReadonlySet<string> = new Set<OperationName>(['UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload']);

/**
 * The condition values for a store operation. `upload` is the upload's stored encryption for the
 * part and complete operations (undefined when there is no such upload: no values, and the
 * operation answers NoSuchUpload if the policy lets it through).
 */
export function conditionValuesFor(operation: string, header: HeaderLookup, upload?: StoredEncryption): SseConditionValues {
  if (FROM_REQUEST.has(operation)) return requestConditionValues(header);
  if (FROM_UPLOAD.has(operation)) return upload === undefined ? NO_CONDITION_VALUES : uploadConditionValues(upload);
  return NO_CONDITION_VALUES;
}
