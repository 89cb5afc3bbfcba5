// Maps method + bucket/key presence + subresource to an S3 operation name (the route table).
import { S3Error } from './errors.js';

export type OperationName =
  | 'ListBuckets'
  | 'CreateBucket'
  | 'HeadBucket'
  | 'DeleteBucket'
  | 'GetBucketLocation'
  | 'GetBucketVersioning'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'ListObjectVersions'
  | 'ListMultipartUploads'
  | 'PutBucketEncryption'
  | 'PutBucketPolicy'
  | 'GetBucketPolicy'
  | 'DeleteBucketPolicy'
  | 'GetBucketEncryption'
  | 'DeleteBucketEncryption'
  | 'DeleteObjects'
  | 'PutObject'
  | 'CopyObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'GetObjectAttributes'
  | 'GetObjectTagging'
  | 'PutObjectTagging'
  | 'DeleteObjectTagging'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts';

/**
 * Subresources S3 has that this store does not implement: they answer NotImplemented, not a wrong
 * operation. `tagging` is implemented on objects only; bucket tagging stays NotImplemented.
 */
const UNSUPPORTED_SUBRESOURCES = [
  'accelerate', 'acl', 'analytics', 'cors', 'intelligent-tiering', 'inventory', 'legal-hold', 'lifecycle',
  'logging', 'metadataTable', 'metrics', 'notification', 'object-lock', 'ownershipControls',
  'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select',
  'tagging', 'torrent', 'website', 'renameObject', 'session',
] as const;

interface Target {
  method: string;
  hasBucket: boolean;
  hasKey: boolean;
  query: URLSearchParams;
  copySource: boolean;
}

export function routeRequest({ method, hasBucket, hasKey, query, copySource }: Target): OperationName {
  if (!hasBucket) {
    if (method === 'GET') return 'ListBuckets';
    throw new S3Error('MethodNotAllowed');
  }
  if (hasKey && query.has('tagging')) return routeObjectTagging(method);
  for (const sub of UNSUPPORTED_SUBRESOURCES) {
    if (query.has(sub)) throw new S3Error('NotImplemented');
  }
  return hasKey ? routeObject(method, query, copySource) : routeBucket(method, query);
}

function routeObjectTagging(method: string): OperationName {
  switch (method) {
    case 'GET':
      return 'GetObjectTagging';
    case 'PUT':
      return 'PutObjectTagging';
    case 'DELETE':
      return 'DeleteObjectTagging';
  }
  throw new S3Error('MethodNotAllowed');
}

function routeBucket(method: string, q: URLSearchParams): OperationName {
  switch (method) {
    case 'PUT':
      if (q.has('encryption')) return 'PutBucketEncryption';
      if (q.has('policy')) return 'PutBucketPolicy';
      if (q.has('versioning')) throw new S3Error('NotImplemented');
      return 'CreateBucket';
    case 'HEAD':
      return 'HeadBucket';
    case 'DELETE':
      if (q.has('policy')) return 'DeleteBucketPolicy';
      return q.has('encryption') ? 'DeleteBucketEncryption' : 'DeleteBucket';
    case 'POST':
      if (q.has('delete')) return 'DeleteObjects';
      break;
    case 'GET':
      if (q.has('location')) return 'GetBucketLocation';
      if (q.has('encryption')) return 'GetBucketEncryption';
      if (q.has('policy')) return 'GetBucketPolicy';
      if (q.has('versioning')) return 'GetBucketVersioning';
      if (q.has('versions')) return 'ListObjectVersions';
      if (q.has('uploads')) return 'ListMultipartUploads';
      return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  }
  throw new S3Error('MethodNotAllowed');
}

function routeObject(method: string, q: URLSearchParams, copySource: boolean): OperationName {
  switch (method) {
    case 'PUT':
      if (q.has('uploadId') || q.has('partNumber')) return copySource ? 'UploadPartCopy' : 'UploadPart';
      return copySource ? 'CopyObject' : 'PutObject';
    case 'GET':
      if (q.has('uploadId')) return 'ListParts';
      if (q.has('attributes')) return 'GetObjectAttributes';
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
      if (q.has('uploads')) return 'CreateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      break;
  }
  throw new S3Error('MethodNotAllowed');
}
