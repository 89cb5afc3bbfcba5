// Reading S3's x-amz-version-id: a real id on a versioned bucket, nothing worth keeping otherwise.

/**
 * The version id as the engine keeps it: undefined when S3 sent none (versioning never enabled),
 * sent the literal "null" (objects written while versioning was off or suspended; the next such
 * write overwrites that same "null" version, so it names no particular write), or sent an empty value.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersionSuspendedBuckets.html
 */
export function versionIdOf(raw: string | undefined | null): string | undefined {
  return raw === undefined || raw === null || raw === '' || raw === 'null' ? undefined : raw;
}

/** `{ versionId }` when there is a version id to report, `{}` otherwise, so results carry no undefined member. */
export function withVersionId(raw: string | undefined | null): { versionId?: string } {
  const versionId = versionIdOf(raw);
  return versionId === undefined ? {} : { versionId };
}
