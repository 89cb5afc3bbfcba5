// Paged listings on S3: the objects under the prefix, and the multipart uploads no checkpoint claims.
import { ListMultipartUploadsCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { decodeListingFast } from './fastListingStep.js';
import type { DecodedListPage } from './listPageDecoder.js';
import type { ListedObject } from './objectStore.js';
import { callRemote, type S3Context } from './s3Context.js';
import { abortUpload } from './s3Multipart.js';

/** Every object under prefix + subPrefix in key order (ListObjectsV2, 1000 per page), keys relative to the prefix. */
export async function* listObjects(s3: S3Context, subPrefix = ''): AsyncIterable<ListedObject> {
  let token: string | undefined;
  do {
    const command = new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: s3.prefix + subPrefix, ContinuationToken: token });
    const fast = decodeListingFast(command);
    const out = await callRemote({ operation: 'ListObjectsV2' }, undefined, () => s3.client.send(command));
    const page = fast.page ?? pageOfSdkOutput(out);
    for (const o of page.objects) {
      if (!o.key.startsWith(s3.prefix)) continue;
      yield { key: o.key.slice(s3.prefix.length), size: o.size, etag: o.etag, lastModifiedMs: o.lastModifiedMs };
    }
    token = page.isTruncated ? page.nextContinuationToken : undefined;
  } while (token);
}

/** The SDK's own decoding of a page, in the fast decoder's shape (entries without a key are dropped). */
function pageOfSdkOutput(out: ListObjectsV2CommandOutput): DecodedListPage {
  const objects = (out.Contents ?? []).flatMap((o) =>
    o.Key === undefined ? [] : [{ key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? '', lastModifiedMs: o.LastModified?.getTime() ?? 0 }],
  );
  return { objects, isTruncated: out.IsTruncated === true, nextContinuationToken: out.NextContinuationToken };
}

/**
 * Aborts every upload under the prefix whose id the ledger does not hold for its key and that was
 * initiated at or before `startedBefore` (epoch ms); returns how many. An upload without an Initiated
 * date counts as old.
 */
export async function abortOrphanedUploads(s3: S3Context, startedBefore: number): Promise<number> {
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
      if (upload.Initiated !== undefined && upload.Initiated.getTime() > startedBefore) continue;
      await abortUpload(s3, upload.Key, upload.UploadId);
      aborted++;
    }
    if (!page.IsTruncated) return aborted;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}
