// KMS failures as S3 reports them (S3-SSE.md 3.4 and E6-E9): KMS.* codes on writes, AccessDenied for a key that is gone.
import { isKmsError } from '../../keys/kms/index.js';
import { S3Error } from '../errors.js';
import { tampered } from './tampered.js';

const MSG_KEY_GONE =
  'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.';

/** Maps an error thrown by the embedded KMS; anything else is passed through unchanged. */
export function fromKmsError(err: unknown, use: 'write' | 'read'): unknown {
  if (!isKmsError(err)) return err;
  switch (err.code) {
    case 'DisabledException':
      return new S3Error('KMS.DisabledException', err.message);
    case 'KMSInvalidStateException':
      return new S3Error('KMS.KMSInvalidStateException', err.message);
    case 'NotFoundException':
      return use === 'write' ? new S3Error('KMS.NotFoundException', err.message) : new S3Error('AccessDenied', MSG_KEY_GONE);
    case 'InvalidCiphertextException':
    case 'IncorrectKeyException':
      // The stored data key does not open under its own context: the metadata was altered.
      return tampered();
    default:
      return new S3Error('InternalError');
  }
}
