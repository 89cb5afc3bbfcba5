// The operation table: every routed S3 operation name and the handler that serves it.
import type { OperationHandler } from '../requestContext.js';
import type { OperationName } from '../router.js';
import { abortMultipartUpload } from './abortMultipartUpload.js';
import { completeMultipartUpload } from './completeMultipartUpload.js';
import { copyObject } from './copyObject.js';
import { createBucket } from './createBucket.js';
import { createMultipartUpload } from './createMultipartUpload.js';
import { deleteBucket } from './deleteBucket.js';
import { deleteBucketEncryption } from './deleteBucketEncryption.js';
import { deleteBucketPolicy } from './deleteBucketPolicy.js';
import { deleteObject } from './deleteObject.js';
import { deleteObjectTagging } from './deleteObjectTagging.js';
import { deleteObjects } from './deleteObjects.js';
import { getBucketEncryption } from './getBucketEncryption.js';
import { getBucketLocation } from './getBucketLocation.js';
import { getBucketPolicy } from './getBucketPolicy.js';
import { getBucketVersioning } from './getBucketVersioning.js';
import { getObject, headObject } from './getObject.js';
import { getObjectAttributes } from './getObjectAttributes.js';
import { getObjectTagging } from './getObjectTagging.js';
import { headBucket } from './headBucket.js';
import { listBuckets } from './listBuckets.js';
import { listMultipartUploads } from './listMultipartUploads.js';
import { listObjects } from './listObjects.js';
import { listObjectsV2 } from './listObjectsV2.js';
import { listObjectVersions } from './listObjectVersions.js';
import { listParts } from './listParts.js';
import { putBucketEncryption } from './putBucketEncryption.js';
import { putBucketPolicy } from './putBucketPolicy.js';
import { putObject } from './putObject.js';
import { putObjectTagging } from './putObjectTagging.js';
import { uploadPart } from './uploadPart.js';
import { uploadPartCopy } from './uploadPartCopy.js';

export const operations: Record<OperationName, OperationHandler> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  GetBucketVersioning: getBucketVersioning,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  ListObjectVersions: listObjectVersions,
  ListMultipartUploads: listMultipartUploads,
  PutBucketEncryption: putBucketEncryption,
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetBucketEncryption: getBucketEncryption,
  DeleteBucketEncryption: deleteBucketEncryption,
  DeleteObjects: deleteObjects,
  PutObject: putObject,
  CopyObject: copyObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  GetObjectAttributes: getObjectAttributes,
  GetObjectTagging: getObjectTagging,
  PutObjectTagging: putObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
};
