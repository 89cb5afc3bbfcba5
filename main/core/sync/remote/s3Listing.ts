// Paged listings on S3: the objects under the prefix, and the multipart uploads no checkpoint claims.
import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { ListedObject } from './objectStore.js';
import { callRemote, type S3Context } from './s3Context.js';
import { abortUpload } from './s3Multipart.js';

/** Every object under prefix + subPrefix in key order (ListObjectsV2, 1000 per page), keys relative to the prefix. */
export async function* listObjects(s3: S3Context, subPrefix = ''): AsyncIterable<ListedObject> {
  let token: string | undefined;
  do {
    const page = await callRemote({ operation: 'ListObjectsV2' }, undefined, () =>
      s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: s3.prefix + subPrefix, ContinuationToken: token })),
    );
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined || !o.Key.startsWith(s3.prefix)) continue;
      yield { key: o.Key.slice(s3.prefix.length), size: o.Size ?? 0, etag: o.ETag ?? '', lastModifiedMs: o.LastModified?.getTime() ?? 0 };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Aborts every upload under the prefix whose id the ledger does not hold for its key; returns how many. */
export async function abortOrphanedUploads(s3: S3Context): Promise<number> {
  let aborted = 0;
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await callRemote({ operation: 'ListMultipartUploads' }, undefined, () =>
      s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: s3.prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker })),
    );
    for (const upload of page.Uploads ?? []) {
      if (upload.Key === undefined || upload.UploadId === undefined || !upload.Key.startsWith(s3.prefix)) continue;
      if (s3.ledger.find(upload.Key.slice(s3.prefix.length))?.uploadId === upload.UploadId) continue;
      await abortUpload(s3, upload.Key, upload.UploadId);
      aborted++;
    }
    if (!page.IsTruncated) return aborted;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}
