// The one error the embedded KMS throws: an AWS KMS exception name plus AWS's message text, never a secret.

/**
 * Exception names exactly as AWS KMS returns them in `__type`, so callers (the store's S3 error
 * mapping, the CLI) can pass them through unchanged. See KMS.md for which operation raises which.
 */
export type KmsErrorCode =
  | 'AccessDeniedException'
  | 'AlreadyExistsException'
  | 'DisabledException'
  | 'IncorrectKeyException'
  | 'InvalidArnException'
  | 'InvalidCiphertextException'
  | 'KMSInternalException'
  | 'KMSInvalidStateException'
  | 'LimitExceededException'
  | 'NotAuthorizedException'
  | 'NotFoundException'
  | 'UnsupportedOperationException'
  | 'ValidationException';

/**
 * Messages name keys by id or ARN and aliases by name or ARN only: key material, data keys and
 * ciphertext never appear, because errors travel to logs, audit rows and S3 error bodies.
 */
export class KmsError extends Error {
  override readonly name = 'KmsError';

  constructor(
    readonly code: KmsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isKmsError(err: unknown, code?: KmsErrorCode): err is KmsError {
  return err instanceof KmsError && (code === undefined || err.code === code);
}

// The texts below are AWS's own, as recorded against AWS (S3-SSE.md 3.4, LocalStack snapshots).

/** A well-formed key id or key ARN that names no key here. */
export const keyDoesNotExist = (arn: string): KmsError => new KmsError('NotFoundException', `Key '${arn}' does not exist`);

/** Something that is neither a key id, a key ARN, an alias name nor an alias ARN. */
export const invalidKeyId = (input: string): KmsError => new KmsError('NotFoundException', `Invalid keyId '${input}'`);

/** A key or alias ARN whose region is not the caller's. */
export const invalidArnRegion = (region: string): KmsError => new KmsError('NotFoundException', `Invalid arn ${region}`);

export const aliasNotFound = (aliasArn: string): KmsError => new KmsError('NotFoundException', `Alias ${aliasArn} is not found.`);

export const keyDisabled = (arn: string): KmsError => new KmsError('DisabledException', `${arn} is disabled.`);

export const keyPendingDeletion = (arn: string): KmsError => new KmsError('KMSInvalidStateException', `${arn} is pending deletion.`);

export const keyNotPendingDeletion = (arn: string): KmsError => new KmsError('KMSInvalidStateException', `${arn} is not pending deletion.`);

/**
 * AWS returns this exception with no message at all; ours says what kinds of mismatch it covers
 * without saying which one occurred (that would help an attacker probe contexts).
 */
export const invalidCiphertext = (): KmsError =>
  new KmsError('InvalidCiphertextException', 'The ciphertext is invalid, was not made by this KMS, or its encryption context does not match.');

/** The smithy-style validation text AWS answers for out-of-range parameters. */
export function constraintViolation(field: string, value: string | number, constraint: string): KmsError {
  return new KmsError('ValidationException', `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`);
}
