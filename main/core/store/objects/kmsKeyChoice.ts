// Which CMK a write uses: the request's key id, the bucket default's, or the AWS-managed aws/s3 (S3-SSE.md 3.1, 3.4).
import { isKmsError } from '../../keys/kms/index.js';
import { S3Error } from '../errors.js';
import type { EffectiveEncryption } from '../sse/requestEncryption.js';
import { fromKmsError } from './kmsErrors.js';
import type { KeySources, SealingMode } from './sealing.js';

type KmsEffective = Extract<EffectiveEncryption, { kind: 'SSE-KMS' }>;

const S3_MANAGED_ALIAS = 'alias/aws/s3';

/**
 * Resolves the key before any byte of the body is read, so an unknown, disabled or pending-deletion
 * key costs the client no upload. Errors carry S3's KMS.* codes and AWS's texts (S3-SSE.md 3.4).
 */
export function chooseKmsKey(effective: KmsEffective, keys: KeySources): Extract<SealingMode, { kind: 'SSE-KMS' }> {
  const requested = effective.keyId;
  // A bucket default naming the managed key without its alias prefix is refused as AWS does (aws/aws-cli#4507).
  if (effective.keyFromBucketDefault && requested === 'aws/s3') throw new S3Error('KMS.NotFoundException', 'Invalid keyId aws/s3');
  let keyArn: string;
  try {
    const resolution = keys.kms.resolveKey(requested ?? S3_MANAGED_ALIAS, keys.actor);
    if (!resolution.ok) {
      // An empty id or a malformed KMS ARN is no key id either: S3's answer is the first row of
      // S3-SSE.md 3.4, not the KMS's ValidationException / InvalidArnException (no S3 code of its own).
      if (resolution.reason === 'malformed' && !isKmsError(resolution.error, 'NotFoundException')) {
        throw new S3Error('KMS.NotFoundException', `Invalid keyId '${requested ?? ''}'`);
      }
      throw resolution.error;
    }
    keyArn = resolution.key.arn;
  } catch (err) {
    throw fromKmsError(err, 'write');
  }
  if (effective.algorithm !== 'aws:kms') throw new Error('unreachable: aws:kms:dsse is refused by applyBucketDefault');
  return { kind: 'SSE-KMS', algorithm: 'aws:kms', keyArn, context: effective.context, bucketKey: effective.bucketKey };
}
