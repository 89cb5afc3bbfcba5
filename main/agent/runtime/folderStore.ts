// Builds the S3 client side of one folder: the embedded store (pinned certificate) or a remote endpoint.
import { createS3ObjectStore, type S3ObjectStore } from '../../core/sync/remote/s3ObjectStore.js';
import type { Throttle } from '../../core/sync/remote/throttle.js';
import type { FolderSettings } from '../../core/sync/folder/folderSettings.js';
import type { LocalIndex } from '../../core/sync/index/localIndex.js';
import type { Vault } from '../../core/keys/vault/index.js';

/** How this process reaches its own embedded store. */
export interface EmbeddedEndpoint {
  readonly httpsUrl: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The store's certificate fingerprint: only that certificate is accepted. */
  readonly pinnedSha256: string;
}

export class FolderStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FolderStoreError';
  }
}

export function folderObjectStore(
  settings: FolderSettings,
  deps: { embedded?: EmbeddedEndpoint; vault: Vault | undefined; index: LocalIndex; throttle: { up: Throttle; down: Throttle }; transfers: number },
): S3ObjectStore {
  const common = { bucket: settings.bucket, prefix: settings.prefix, ledger: deps.index.uploadLedger(settings.id), throttle: deps.throttle, concurrency: deps.transfers };
  if (settings.store.kind === 'embedded') {
    const embedded = deps.embedded;
    if (!embedded) throw new FolderStoreError('the embedded store is not running');
    return createS3ObjectStore({
      ...common,
      endpoint: embedded.httpsUrl,
      region: embedded.region,
      credentials: embedded.credentials,
      forcePathStyle: true,
      tls: { pinnedSha256: embedded.pinnedSha256 },
    });
  }
  if (!deps.vault?.isUnlocked) throw new FolderStoreError('the vault is locked: its remote credentials are needed to reach this folder\'s store');
  const credential = deps.vault.credential(settings.store.credentialId);
  if (!credential) throw new FolderStoreError(`the vault has no credential ${settings.store.credentialId} for this folder's store`);
  return createS3ObjectStore({
    ...common,
    endpoint: settings.store.endpoint,
    region: settings.store.region,
    credentials: credential,
    forcePathStyle: settings.store.pathStyle,
    tls: settings.store.tls,
  });
}
