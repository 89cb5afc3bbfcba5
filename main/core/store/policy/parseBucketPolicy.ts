// PutBucketPolicy's check of a policy document: S3's faults with S3's texts, in S3's order, into a BucketPolicy.
//
// Order of checks: first byte, JSON, normalised size, top-level members, then each statement in
// turn; the first fault is the answer (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html,
// texts in messages.ts). The caller keeps the document text as sent for GetBucketPolicy and
// bounds the body it reads: this function parses whatever string it is given.
import { MSG, MAX_POLICY_BYTES, malformed } from './messages.js';
import { isObject, parseStatement } from './statement.js';
import type { BucketPolicy, PolicyVersion } from './types.js';

const FIELDS = new Set(['Version', 'Id', 'Statement']);

/**
 * Validates and normalises `json` as the policy of `bucket`; throws S3Error MalformedPolicy.
 * Unlike S3, which reads a policy without Version as 2008-10-17, a Version is required here.
 */
export function parseBucketPolicy(json: string, bucket: string): BucketPolicy {
  if (!json.startsWith('{')) throw malformed(MSG.notJson);
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    throw malformed(MSG.invalidJson);
  }
  // S3 measures the document without insignificant white space, so indentation does not count.
  if (Buffer.byteLength(JSON.stringify(document), 'utf8') > MAX_POLICY_BYTES) throw malformed(MSG.tooLarge);
  if (!isObject(document)) throw malformed(MSG.notJson);
  for (const field of Object.keys(document)) {
    if (!FIELDS.has(field)) throw malformed(MSG.unknownField(field));
  }
  const version = document.Version;
  if (version !== '2012-10-17' && version !== '2008-10-17') throw malformed(MSG.version);
  const id = document.Id;
  if (id !== undefined && typeof id !== 'string') throw malformed(MSG.syntax);
  const statement = document.Statement;
  if (statement === undefined) throw malformed(MSG.missingField('Statement'));
  if (Array.isArray(statement) && statement.length === 0) throw malformed(MSG.emptyStatement);
  if (!Array.isArray(statement) && !isObject(statement)) throw malformed(MSG.syntax);
  // Policy variables exist only in 2012-10-17; in 2008-10-17 "${" is plain text.
  const variables = version === '2012-10-17';
  const items: unknown[] = Array.isArray(statement) ? statement : [statement];
  return {
    version: version satisfies PolicyVersion,
    id,
    bucket,
    statements: items.map((item) => parseStatement(item, bucket, variables)),
  };
}
