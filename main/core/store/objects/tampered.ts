// The one answer for stored data that fails authentication, wherever it is found.
import { S3Error } from '../errors.js';

const MSG_TAMPERED = 'The requested object was modified and may be compromised';

/** A stored object that fails authentication: 500, never wrong bytes (S3-SSE.md E29). */
export function tampered(): S3Error {
  return new S3Error('InternalError', MSG_TAMPERED);
}
