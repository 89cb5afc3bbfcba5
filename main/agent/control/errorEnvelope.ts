// How any transport (the loopback control API, Electron IPC) reports a failed call: the same policy for both.
import type { Envelope } from '../../../preload/contract.js';
import { ApiError } from './apiError.js';

/**
 * ApiErrors and the project's named errors (WrongPassphraseError, FolderSettingsError…) keep their
 * code and message, which are written for users and carry no secrets; anything else is reported
 * to `onUnexpected` and answered without internals.
 */
export function envelopeOfError(err: unknown, onUnexpected: (err: unknown) => void): Envelope<never> {
  if (err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message } };
  if (err instanceof Error && err.name !== 'Error' && err.name !== 'TypeError' && err.name !== 'RangeError') {
    return { ok: false, error: { code: err.name, message: err.message } };
  }
  onUnexpected(err);
  return { ok: false, error: { code: 'InternalError', message: 'the agent hit an unexpected error; see its log' } };
}
