// The store's metadata in SQLite: buckets, objects with their streams, multipart uploads and parts.
import type { SqliteDatabase } from '../../db/openDatabase.js';
import type { BlobStore } from './blobStore.js';
import type {
  BlockedEncryptionType,
  BucketRecord,
  ListedObject,
  NewBlob,
  ObjectAttributes,
  ObjectTag,
  ObjectRecord,
  PartRecord,
  StreamRecord,
  UploadRecord,
} from './records.js';
import type { StoredEncryption } from '../sse/storedEncryption.js';

interface ObjectRow {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  last_modified: number;
  upload_id: string;
  parts_count: number;
  content_type: string | null;
  system_headers: string;
  user_metadata: string;
  encryption: string;
  checksum: string | null;
  tags: string;
}

interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  initiated: number;
  content_type: string | null;
  system_headers: string;
  user_metadata: string;
  encryption: string;
  checksum_algorithm: string | null;
  tags: string;
}

interface BucketRow {
  name: string;
  created_at: number;
  encryption: string | null;
  policy: string | null;
  blocked_encryption_types: string;
}

/** An object's or upload's identity and its sealed encryption exactly as stored. */
export interface SealedRow {
  bucket: string;
  key: string;
  uploadId: string;
  encryption: string;
}

function toBucket(row: BucketRow): BucketRecord {
  return {
    name: row.name,
    createdAt: new Date(row.created_at),
    encryption: row.encryption,
    policy: row.policy,
    blockedEncryptionTypes: JSON.parse(row.blocked_encryption_types) as BlockedEncryptionType[],
  };
}

function toObject(row: ObjectRow): ObjectRecord {
  return {
    bucket: row.bucket,
    key: row.key,
    size: row.size,
    etag: row.etag,
    lastModified: new Date(row.last_modified),
    uploadId: row.upload_id,
    partsCount: row.parts_count,
    contentType: row.content_type ?? undefined,
    systemHeaders: JSON.parse(row.system_headers) as Record<string, string>,
    userMetadata: JSON.parse(row.user_metadata) as Record<string, string>,
    encryption: JSON.parse(row.encryption) as StoredEncryption,
    checksum: row.checksum,
    tags: JSON.parse(row.tags) as ObjectTag[],
  };
}

function toUpload(row: UploadRow): UploadRecord {
  return {
    uploadId: row.upload_id,
    bucket: row.bucket,
    key: row.key,
    initiated: new Date(row.initiated),
    contentType: row.content_type ?? undefined,
    systemHeaders: JSON.parse(row.system_headers) as Record<string, string>,
    userMetadata: JSON.parse(row.user_metadata) as Record<string, string>,
    encryption: JSON.parse(row.encryption) as StoredEncryption,
    checksumAlgorithm: row.checksum_algorithm,
    tags: JSON.parse(row.tags) as ObjectTag[],
  };
}

/** Bucket names remembered at most; a flood of names that do not exist empties the cache instead of growing it. */
const MAX_CACHED_BUCKETS = 1000;

/**
 * Reads run directly; every write method is meant to run inside a CommitQueue transaction and
 * returns the ids of blob files that became unreferenced, for unlinking after the commit.
 */
export class MetadataStore {
  private readonly s;
  /** Bucket records by name (undefined: no such bucket), valid while data_version stays bucketsAtVersion. */
  private readonly buckets = new Map<string, BucketRecord | undefined>();
  private bucketsAtVersion = -1;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly blobs: BlobStore,
  ) {
    this.s = {
      bucket: db.prepare('SELECT * FROM buckets WHERE name = ?'),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      buckets: db.prepare('SELECT * FROM buckets ORDER BY name'),
      insertBucket: db.prepare('INSERT OR IGNORE INTO buckets (name, created_at, blocked_encryption_types) VALUES (?, ?, ?)'),
      setPolicy: db.prepare('UPDATE buckets SET policy = ? WHERE name = ?'),
      setBlocked: db.prepare('UPDATE buckets SET blocked_encryption_types = ? WHERE name = ?'),
      deleteBucket: db.prepare('DELETE FROM buckets WHERE name = ?'),
      bucketHasObjects: db.prepare('SELECT 1 FROM objects WHERE bucket = ? LIMIT 1').pluck(),
      bucketUploads: db.prepare('SELECT upload_id FROM uploads WHERE bucket = ?').pluck(),
      setEncryption: db.prepare('UPDATE buckets SET encryption = ? WHERE name = ?'),
      object: db.prepare('SELECT * FROM objects WHERE bucket = ? AND key = ?'),
      streams: db.prepare(
        'SELECT part_number AS partNumber, size, blob_id AS blobId, etag, checksum FROM object_streams WHERE bucket = ? AND key = ? ORDER BY seq',
      ),
      streamBlobs: db.prepare('SELECT blob_id FROM object_streams WHERE bucket = ? AND key = ?').pluck(),
      deleteObject: db.prepare('DELETE FROM objects WHERE bucket = ? AND key = ?'),
      deleteStreams: db.prepare('DELETE FROM object_streams WHERE bucket = ? AND key = ?'),
      insertObject: db.prepare(
        `INSERT INTO objects (bucket, key, size, etag, last_modified, upload_id, parts_count, content_type,
           system_headers, user_metadata, encryption, checksum, tags)
         VALUES (@bucket, @key, @size, @etag, @last_modified, @upload_id, @parts_count, @content_type,
           @system_headers, @user_metadata, @encryption, @checksum, @tags)`,
      ),
      setTags: db.prepare('UPDATE objects SET tags = ? WHERE bucket = ? AND key = ?'),
      insertStream: db.prepare(
        'INSERT INTO object_streams (bucket, key, seq, part_number, size, blob_id, etag, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      listKeys: db.prepare('SELECT key, size, etag, last_modified FROM objects WHERE bucket = ? AND key > ? AND key >= ? ORDER BY key LIMIT ?'),
      resealObject: db.prepare('UPDATE objects SET encryption = ? WHERE bucket = ? AND key = ? AND encryption = ?'),
      resealUpload: db.prepare('UPDATE uploads SET encryption = ? WHERE upload_id = ? AND encryption = ?'),
      sealedObjects: db.prepare(
        'SELECT bucket, key, upload_id AS uploadId, encryption FROM objects WHERE (bucket, key) > (?, ?) ORDER BY bucket, key LIMIT ?',
      ),
      sealedUploads: db.prepare('SELECT upload_id AS uploadId, bucket, key, encryption FROM uploads WHERE upload_id > ? ORDER BY upload_id LIMIT ?'),
      counts: db.prepare('SELECT (SELECT count(*) FROM objects) AS objects, (SELECT count(*) FROM uploads) AS uploads'),
      countSealedUnder: db
        .prepare("SELECT count(*) FROM objects WHERE json_extract(encryption, '$.mode') = 'SSE-KMS' AND json_extract(encryption, '$.keyArn') = ?")
        .pluck(),
      upload: db.prepare('SELECT * FROM uploads WHERE upload_id = ?'),
      insertUpload: db.prepare(
        `INSERT INTO uploads (upload_id, bucket, key, initiated, content_type, system_headers, user_metadata, encryption, checksum_algorithm, tags)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deleteUpload: db.prepare('DELETE FROM uploads WHERE upload_id = ?'),
      listUploads: db.prepare(
        `SELECT * FROM uploads WHERE bucket = ? AND key >= ? AND (key > ? OR (key = ? AND upload_id > ?))
         ORDER BY key, upload_id LIMIT ?`,
      ),
      part: db.prepare('SELECT blob_id FROM upload_parts WHERE upload_id = ? AND part_number = ?').pluck(),
      upsertPart: db.prepare(
        `INSERT OR REPLACE INTO upload_parts (upload_id, part_number, size, etag, blob_id, checksum, last_modified)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      parts: db.prepare(
        `SELECT part_number AS partNumber, size, blob_id AS blobId, etag, checksum, last_modified AS lastModified
         FROM upload_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?`,
      ),
      partBlobs: db.prepare('SELECT blob_id FROM upload_parts WHERE upload_id = ?').pluck(),
      deleteParts: db.prepare('DELETE FROM upload_parts WHERE upload_id = ?'),
      referenced: db.prepare(
        'SELECT 1 FROM object_streams WHERE blob_id = ? UNION ALL SELECT 1 FROM upload_parts WHERE blob_id = ? LIMIT 1',
      ).pluck(),
    };
  }

  // ---- buckets

  /**
   * Every request reads its bucket, so records are kept (frozen) between requests. The cache is
   * emptied by this store's own bucket writes and whenever another connection (the CLI beside a
   * running store) committed, as SQLite's data_version tells; it is neither read nor filled
   * inside a transaction, so a write rolled back never leaves a record behind.
   */
  getBucket(name: string): BucketRecord | undefined {
    if (this.db.inTransaction) return this.readBucket(name);
    const version = this.s.dataVersion.get() as number;
    if (version !== this.bucketsAtVersion) {
      this.buckets.clear();
      this.bucketsAtVersion = version;
    }
    if (this.buckets.has(name)) return this.buckets.get(name);
    const record = this.readBucket(name);
    if (this.buckets.size >= MAX_CACHED_BUCKETS) this.buckets.clear();
    this.buckets.set(name, record);
    return record;
  }

  private readBucket(name: string): BucketRecord | undefined {
    const row = this.s.bucket.get(name) as BucketRow | undefined;
    if (!row) return undefined;
    const record = toBucket(row);
    Object.freeze(record.blockedEncryptionTypes);
    return Object.freeze(record);
  }

  listBuckets(): BucketRecord[] {
    return (this.s.buckets.all() as BucketRow[]).map(toBucket);
  }

  /** False when the bucket already exists. */
  insertBucket(name: string, createdAt: Date, blocked: readonly BlockedEncryptionType[] = []): boolean {
    this.buckets.clear();
    return this.s.insertBucket.run(name, createdAt.getTime(), JSON.stringify(blocked)).changes > 0;
  }

  setBucketPolicy(name: string, policy: string | null): void {
    this.buckets.clear();
    this.s.setPolicy.run(policy, name);
  }

  setBlockedEncryptionTypes(name: string, blocked: readonly BlockedEncryptionType[]): void {
    this.buckets.clear();
    this.s.setBlocked.run(JSON.stringify(blocked), name);
  }

  bucketIsEmpty(name: string): boolean {
    return this.s.bucketHasObjects.get(name) === undefined;
  }

  /** Deletes an empty bucket and aborts its unfinished uploads; returns blob files to unlink. */
  deleteBucket(name: string): string[] {
    this.buckets.clear();
    const files = (this.s.bucketUploads.all(name) as string[]).flatMap((id) => this.deleteUpload(id));
    this.s.deleteBucket.run(name);
    return files;
  }

  setBucketEncryption(name: string, encryption: string | null): void {
    this.buckets.clear();
    this.s.setEncryption.run(encryption, name);
  }

  // ---- objects

  getObject(bucket: string, key: string): ObjectRecord | undefined {
    const row = this.s.object.get(bucket, key) as ObjectRow | undefined;
    return row && toObject(row);
  }

  getStreams(bucket: string, key: string): StreamRecord[] {
    return this.s.streams.all(bucket, key) as StreamRecord[];
  }

  /** Objects with keys after `after` (exclusive) and at or after `from`, in key order. */
  /** A listing's view of the objects after `after` and from `from` on, in key order. */
  listObjects(bucket: string, after: string, from: string, limit: number): ListedObject[] {
    const rows = this.s.listKeys.all(bucket, after, from, limit) as Pick<ObjectRow, 'key' | 'size' | 'etag' | 'last_modified'>[];
    return rows.map((row) => ({ key: row.key, size: row.size, etag: row.etag, lastModified: new Date(row.last_modified) }));
  }

  /** Replaces (or creates) an object with its streams; returns blob files of the old version to unlink. */
  putObject(object: ObjectRecord, streams: readonly StreamRecord[], newBlobs: readonly NewBlob[]): string[] {
    for (const blob of newBlobs) if (blob.inline) this.blobs.insertInline(blob.blobId, blob.inline);
    const garbage = this.removeObject(object.bucket, object.key, new Set(streams.map((s) => s.blobId)));
    this.s.insertObject.run({
      bucket: object.bucket,
      key: object.key,
      size: object.size,
      etag: object.etag,
      last_modified: object.lastModified.getTime(),
      upload_id: object.uploadId,
      parts_count: object.partsCount,
      content_type: object.contentType ?? null,
      system_headers: JSON.stringify(object.systemHeaders),
      user_metadata: JSON.stringify(object.userMetadata),
      encryption: JSON.stringify(object.encryption),
      checksum: object.checksum,
      tags: JSON.stringify(object.tags),
    });
    streams.forEach((s, seq) =>
      this.s.insertStream.run(object.bucket, object.key, seq, s.partNumber, s.size, s.blobId, s.etag, s.checksum),
    );
    return garbage;
  }

  /**
   * Replaces an object's tag set (empty removes them all), leaving its data, ETag and
   * Last-Modified as they are, as S3 does. False when there is no such object.
   */
  setObjectTags(bucket: string, key: string, tags: readonly ObjectTag[]): boolean {
    return this.s.setTags.run(JSON.stringify(tags), bucket, key).changes > 0;
  }

  /** Deletes an object if present; returns blob files to unlink. */
  deleteObject(bucket: string, key: string): string[] {
    return this.removeObject(bucket, key);
  }

  // ---- sealed keys (the re-seal job)

  /** Objects after (bucket, key), in order, with their sealed encryption as stored (JSON text). */
  sealedObjects(afterBucket: string, afterKey: string, limit: number): SealedRow[] {
    return this.s.sealedObjects.all(afterBucket, afterKey, limit) as SealedRow[];
  }

  sealedUploads(afterUploadId: string, limit: number): (SealedRow & { uploadId: string })[] {
    return this.s.sealedUploads.all(afterUploadId, limit) as (SealedRow & { uploadId: string })[];
  }

  countSealed(): { objects: number; uploads: number } {
    return this.s.counts.get() as { objects: number; uploads: number };
  }

  /**
   * Objects sealed under the KMS key `keyArn`: their stored encryption (SseKmsSealed) names the key by
   * its full ARN, whatever identifier the PUT used. Uploads still in progress are not objects yet.
   */
  countObjectsSealedUnder(keyArn: string): number {
    return this.s.countSealedUnder.get(keyArn) as number;
  }

  /**
   * Replaces an object's sealed key only if it is still the one read (compare-and-swap on the JSON
   * text): an object overwritten meanwhile keeps its new version. False when nothing was changed.
   */
  resealObject(bucket: string, key: string, expected: string, next: StoredEncryption): boolean {
    return this.s.resealObject.run(JSON.stringify(next), bucket, key, expected).changes > 0;
  }

  resealUpload(uploadId: string, expected: string, next: StoredEncryption): boolean {
    return this.s.resealUpload.run(JSON.stringify(next), uploadId, expected).changes > 0;
  }

  // ---- multipart uploads

  insertUpload(upload: UploadRecord): void {
    this.s.insertUpload.run(
      upload.uploadId,
      upload.bucket,
      upload.key,
      upload.initiated.getTime(),
      upload.contentType ?? null,
      JSON.stringify(upload.systemHeaders),
      JSON.stringify(upload.userMetadata),
      JSON.stringify(upload.encryption),
      upload.checksumAlgorithm,
      JSON.stringify(upload.tags),
    );
  }

  getUpload(uploadId: string): UploadRecord | undefined {
    const row = this.s.upload.get(uploadId) as UploadRow | undefined;
    return row && toUpload(row);
  }

  /** Uploads in key, then upload-id order, after the (keyMarker, uploadIdMarker) position. */
  listUploads(bucket: string, from: string, keyMarker: string, uploadIdMarker: string, limit: number): UploadRecord[] {
    const rows = this.s.listUploads.all(bucket, from, keyMarker, keyMarker, uploadIdMarker, limit) as UploadRow[];
    return rows.map(toUpload);
  }

  /** Records a part, replacing an earlier upload of the same number; returns blob files to unlink. */
  putPart(uploadId: string, part: PartRecord, blob: NewBlob): string[] {
    if (blob.inline) this.blobs.insertInline(blob.blobId, blob.inline);
    const previous = this.s.part.get(uploadId, part.partNumber) as string | undefined;
    this.s.upsertPart.run(
      uploadId,
      part.partNumber,
      part.size,
      part.etag,
      part.blobId,
      part.checksum,
      part.lastModified.getTime(),
    );
    return previous ? this.dropBlobs([previous]) : [];
  }

  listParts(uploadId: string, afterPartNumber: number, limit: number): PartRecord[] {
    const rows = this.s.parts.all(uploadId, afterPartNumber, limit) as (StreamRecord & { lastModified: number })[];
    return rows.map((r) => ({ ...r, lastModified: new Date(r.lastModified) }));
  }

  /** Deletes an upload and all its parts; returns blob files to unlink. */
  deleteUpload(uploadId: string): string[] {
    const blobIds = this.s.partBlobs.all(uploadId) as string[];
    this.s.deleteParts.run(uploadId);
    this.s.deleteUpload.run(uploadId);
    return this.dropBlobs(blobIds);
  }

  /**
   * Turns an upload into the object: the chosen parts become the object's streams (their blobs are
   * reused, not copied), unchosen parts and the upload go; returns blob files to unlink.
   */
  completeUpload(uploadId: string, object: ObjectRecord, streams: readonly StreamRecord[]): string[] {
    const chosen = new Set(streams.map((s) => s.blobId));
    const unused = (this.s.partBlobs.all(uploadId) as string[]).filter((id) => !chosen.has(id));
    this.s.deleteParts.run(uploadId);
    this.s.deleteUpload.run(uploadId);
    return [...this.putObject(object, streams, []), ...this.dropBlobs(unused)];
  }

  // ---- blobs

  /** True when some object or part still names the blob (used by the start-up orphan sweep). */
  isReferenced(blobId: string): boolean {
    return this.s.referenced.get(blobId, blobId) !== undefined;
  }

  private removeObject(bucket: string, key: string, keep: ReadonlySet<string> = new Set()): string[] {
    const blobIds = (this.s.streamBlobs.all(bucket, key) as string[]).filter((id) => !keep.has(id));
    this.s.deleteStreams.run(bucket, key);
    this.s.deleteObject.run(bucket, key);
    return this.dropBlobs(blobIds);
  }

  /** Inline blobs go with the transaction; file blobs are returned for unlinking after it commits. */
  private dropBlobs(blobIds: readonly string[]): string[] {
    return blobIds.filter((id) => !this.blobs.deleteInline(id));
  }
}

export type { ObjectAttributes };
