// The messages between the agent and its store thread.
import type { Credentials } from '../../core/store/auth/credentials.js';
import type { StoreCommandOptions } from './storeCommandOptions.js';
import type { TlsMaterial } from './tlsCertificate.js';

export interface StoreThreadInit {
  readonly options: StoreCommandOptions;
  /** The agent's environment (credentials, root key), which may differ from the process's. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type ToStoreThread = { readonly type: 'flushAudit'; readonly id: number } | { readonly type: 'close' };

export type FromStoreThread =
  | {
      readonly type: 'started';
      readonly httpUrl: string;
      readonly httpsUrl: string | undefined;
      readonly tls: TlsMaterial | undefined;
      readonly credentials: Credentials;
      readonly banner: string[];
    }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'flushed'; readonly id: number }
  | { readonly type: 'closed'; readonly error?: string };
