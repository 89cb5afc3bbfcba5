// Folder settings in and out of the vault's folders table, and new settings from an add-folder request.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, relative, resolve, isAbsolute } from 'node:path';
import type { AddFolderRequest } from '../../../preload/contract.js';
import type { FolderRecord, Vault } from '../../core/keys/vault/index.js';
import { customerKeyFingerprint, readCustomerKeyFile } from '../../core/sync/folder/customerKeyFile.js';
import { FolderSettingsError, parseFolderSettings, type FolderSettings } from '../../core/sync/folder/folderSettings.js';
import { ApiError } from '../control/apiError.js';
import { assertKeyTransport } from './keyTransport.js';

/** The settings of a stored folder (the vault row holds id and path; the document holds the rest). */
export function settingsOfRecord(record: FolderRecord): FolderSettings {
  return parseFolderSettings({ ...JSON.parse(record.settings), id: record.id, localPath: record.localPath });
}

export function documentOf(settings: FolderSettings): string {
  const { id: _id, localPath: _path, ...rest } = settings;
  return JSON.stringify(rest);
}

/** A bucket name S3 accepts, made from the folder's name: "My Photos" -> "my-photos". */
export function bucketNameFor(localPath: string): string {
  const base = basename(localPath)
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .replace(/\.{2,}/g, '.');
  const name = base.length >= 3 ? base.slice(0, 63).replace(/[.-]+$/, '') : `coffer-${base || 'folder'}`;
  return name.length >= 3 ? name : 'coffer-folder';
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Refuses a folder inside the data dir or overlapping another synced folder: either would sync itself. */
function assertPlacement(localPath: string, dataDir: string, existing: readonly FolderSettings[]): void {
  if (isInside(localPath, dataDir) || isInside(dataDir, localPath)) throw new ApiError('InvalidFolder', `${localPath} overlaps the data directory ${dataDir}`);
  for (const other of existing) {
    if (isInside(localPath, other.localPath) || isInside(other.localPath, localPath)) {
      throw new ApiError('InvalidFolder', `${localPath} overlaps the synced folder ${other.localPath}`);
    }
  }
}

/**
 * Validates an add-folder request and stores the folder in the vault. Remote credentials and a
 * remembered SSE-C key go into the vault sealed (it must be unlocked); only ids and the key's
 * fingerprint are in the settings document.
 */
export function addFolderRecord(vault: Vault, request: AddFolderRequest, dataDir: string, env: NodeJS.ProcessEnv): FolderSettings {
  if (typeof request.localPath !== 'string' || request.localPath.length === 0) throw new ApiError('InvalidFolder', 'a folder path is required');
  const localPath = resolve(request.localPath);
  const existing = vault.folders.list().map(settingsOfRecord);
  assertPlacement(localPath, resolve(dataDir), existing);
  // Checked here, created only once every other check passed: a refused add leaves nothing behind.
  if (existsSync(localPath) && !statSync(localPath).isDirectory()) throw new ApiError('InvalidFolder', `${localPath} is not a directory`);

  const mode = request.mode ?? 'sse-s3';
  const needsVault = mode === 'sse-c-vault' || request.rememberKey === true || (request.store !== undefined && request.store !== 'embedded');
  if (needsVault && !vault.isUnlocked) throw new ApiError('VaultLocked', 'unlock the vault first: this folder keeps keys or credentials in it');
  const secretSuffix = randomBytes(6).toString('hex');

  let store: FolderSettings['store'] = { kind: 'embedded' };
  if (request.store !== undefined && request.store !== 'embedded') {
    const accessKeyId = request.accessKeyId ?? env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = request.secretAccessKey ?? env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) throw new ApiError('MissingCredentials', 'a remote store needs an access key and secret (--access-key/--secret-key or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)');
    const credentialId = `remote-${secretSuffix}`;
    store = {
      kind: 'remote',
      endpoint: request.store,
      region: request.region ?? 'us-east-1',
      pathStyle: request.pathStyle ?? false,
      credentialId,
      tls: { ...(request.caCertPem ? { caPem: request.caCertPem } : {}), ...(request.insecureTls ? { insecure: true } : {}) },
    };
    assertKeyTransport(store, mode);
  }

  let sseC: Pick<FolderSettings, 'sseCKeyFingerprint' | 'sseCKeyFile' | 'sseCKeyCredentialId'> = {};
  if (mode === 'sse-c-key') {
    if (!request.sseCKeyFile) throw new ApiError('MissingKey', 'mode sse-c-key needs --sse-c-key-file');
    const keyFile = resolve(request.sseCKeyFile);
    const key = readCustomerKeyFile(keyFile);
    sseC = { sseCKeyFingerprint: customerKeyFingerprint(key) };
    if (request.rememberKey) {
      sseC = { ...sseC, sseCKeyCredentialId: `sse-c-${secretSuffix}` };
    } else {
      sseC = { ...sseC, sseCKeyFile: keyFile };
    }
    if (request.rememberKey) vault.putCredential(sseC.sseCKeyCredentialId!, { accessKeyId: 'sse-c-key', secretAccessKey: key.toString('base64') });
    key.fill(0);
  }

  let settings: FolderSettings;
  try {
    settings = parseFolderSettings({
      id: 'pending-id-00',
      localPath,
      store,
      bucket: request.bucket ?? bucketNameFor(localPath),
      prefix: request.prefix ?? '',
      mode,
      kmsKeyId: request.kmsKeyId,
      ...sseC,
      createdAt: new Date().toISOString(),
    });
  } catch (err) {
    if (err instanceof FolderSettingsError) throw new ApiError('InvalidFolder', err.message);
    throw err;
  }
  if (store.kind === 'remote') {
    vault.putCredential(store.credentialId, { accessKeyId: request.accessKeyId ?? env.AWS_ACCESS_KEY_ID!, secretAccessKey: request.secretAccessKey ?? env.AWS_SECRET_ACCESS_KEY! });
  }
  mkdirSync(localPath, { recursive: true });
  const record = vault.folders.add(localPath, documentOf(settings));
  return settingsOfRecord(record);
}
