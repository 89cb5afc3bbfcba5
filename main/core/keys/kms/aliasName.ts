// The rules an alias name must follow before CreateAlias or DeleteAlias will touch it (AWS's rules).
import { KmsError, constraintViolation } from './kmsError.js';

export const ALIAS_PREFIX = 'alias/';
/** Aliases under this prefix belong to AWS managed keys; customers may neither create nor delete them. */
export const AWS_ALIAS_PREFIX = 'alias/aws/';

/** Length limit of the whole name, prefix included (CreateAlias: AliasName, 1-256). */
const MAX_ALIAS_NAME_LENGTH = 256;
const ALIAS_PATTERN = /^[a-zA-Z0-9:/_-]+$/;
const ALIAS_CHARS = /^alias\/[a-zA-Z0-9/_-]+$/;

/**
 * Checks a customer-supplied alias name and throws the exception AWS answers: ValidationException
 * for the wrong prefix, length or characters, NotAuthorizedException for the reserved `alias/aws/`.
 * Alias names are case-sensitive and are never rewritten.
 */
export function assertCustomerAliasName(aliasName: string): void {
  if (!aliasName.startsWith(ALIAS_PREFIX)) {
    throw new KmsError('ValidationException', 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  }
  if (aliasName.length > MAX_ALIAS_NAME_LENGTH) {
    throw constraintViolation('aliasName', aliasName, `Member must have length less than or equal to ${MAX_ALIAS_NAME_LENGTH}`);
  }
  if (!ALIAS_PATTERN.test(aliasName)) {
    throw constraintViolation('aliasName', aliasName, 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$');
  }
  // The API pattern admits ':', but a colon would make the alias ARN ambiguous, so KMS refuses it.
  if (!ALIAS_CHARS.test(aliasName)) {
    throw new KmsError('ValidationException', `${aliasName} contains invalid characters for an alias`);
  }
  if (aliasName.startsWith(AWS_ALIAS_PREFIX)) {
    throw new KmsError('NotAuthorizedException', `Cannot create or delete alias with prefix '${AWS_ALIAS_PREFIX}': it is reserved for AWS managed keys.`);
  }
}

/** True for names such as `alias/aws/s3`, which only an AWS managed key may carry. */
export function isAwsManagedAliasName(aliasName: string): boolean {
  return aliasName.startsWith(AWS_ALIAS_PREFIX);
}
