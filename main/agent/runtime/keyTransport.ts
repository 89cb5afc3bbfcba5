// SSE-C sends its key with every request: a folder in an SSE-C mode must reach its store over HTTPS, checked before anything is recorded.
import type { EncryptionModeName } from '../../../preload/contract.js';
import type { FolderSettings } from '../../core/sync/folder/folderSettings.js';
import { ApiError } from '../control/apiError.js';

/**
 * Throws ApiError InsecureSseC when `mode` sends customer keys and the store is a remote one whose
 * endpoint is not https (in any letter case: the URL's parsed protocol decides), and InvalidFolder
 * when the endpoint is no URL at all. The embedded store is always reached over its own TLS listener.
 */
export function assertKeyTransport(store: FolderSettings['store'], mode: EncryptionModeName): void {
  if (store.kind !== 'remote' || (mode !== 'sse-c-vault' && mode !== 'sse-c-key')) return;
  let protocol: string;
  try {
    protocol = new URL(store.endpoint).protocol;
  } catch {
    throw new ApiError('InvalidFolder', `the store address is not a URL: ${store.endpoint}`);
  }
  if (protocol !== 'https:') throw new ApiError('InsecureSseC', 'SSE-C sends the key with every request: it needs an https:// store');
}
