// The add-folder form's fields turned into a folders.add request: empty fields left out, remote-store fields only for a remote store.
import type { AddFolderRequest, EncryptionModeName } from '../../preload/contract.js';

/** The form as typed: every text field a string (possibly empty). */
export interface FolderFormFields {
  localPath: string;
  mode: EncryptionModeName;
  kmsKeyId: string;
  sseCKeyFile: string;
  rememberKey: boolean;
  bucket: string;
  prefix: string;
  /** Empty: the embedded store. */
  endpoint: string;
  region: string;
  pathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  caCertPem: string;
  insecureTls: boolean;
}

export function emptyFolderForm(mode: EncryptionModeName = 'sse-c-vault'): FolderFormFields {
  return { localPath: '', mode, kmsKeyId: '', sseCKeyFile: '', rememberKey: false, bucket: '', prefix: '', endpoint: '', region: '', pathStyle: true, accessKeyId: '', secretAccessKey: '', caCertPem: '', insecureTls: false };
}

/** A form mistake the UI can point at before asking the agent: the field's id suffix and the reason. */
export class FolderFormError extends Error {
  constructor(
    readonly field: keyof FolderFormFields,
    message: string,
  ) {
    super(message);
    this.name = 'FolderFormError';
  }
}

function optional<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  const trimmed = value.trim();
  return trimmed ? ({ [key]: trimmed } as Record<K, string>) : {};
}

/**
 * Builds the request. Throws FolderFormError for what the agent would refuse anyway and the form
 * can say better: no folder path, no key file in sse-c-key, a remote endpoint that is not an
 * http(s) URL. The secret access key goes in exactly as typed.
 */
export function addFolderRequest(fields: FolderFormFields): AddFolderRequest {
  const localPath = fields.localPath.trim();
  if (!localPath) throw new FolderFormError('localPath', 'Enter the path of the folder to sync.');
  if (fields.mode === 'sse-c-key' && !fields.sseCKeyFile.trim()) throw new FolderFormError('sseCKeyFile', 'SSE-C with your key needs the path of the key file.');
  const request: AddFolderRequest = {
    localPath,
    mode: fields.mode,
    ...(fields.mode === 'sse-kms' ? optional('kmsKeyId', fields.kmsKeyId) : {}),
    ...(fields.mode === 'sse-c-key' ? { ...optional('sseCKeyFile', fields.sseCKeyFile), rememberKey: fields.rememberKey } : {}),
    ...optional('bucket', fields.bucket),
    ...optional('prefix', fields.prefix),
  };
  const endpoint = fields.endpoint.trim();
  if (!endpoint) return request;
  if (!/^https?:\/\/[^\s/]+/i.test(endpoint)) throw new FolderFormError('endpoint', 'The store’s address must start with https:// (or http://).');
  return {
    ...request,
    store: endpoint,
    pathStyle: fields.pathStyle,
    ...optional('region', fields.region),
    ...optional('accessKeyId', fields.accessKeyId),
    ...(fields.secretAccessKey ? { secretAccessKey: fields.secretAccessKey } : {}),
    ...optional('caCertPem', fields.caCertPem),
    ...(fields.insecureTls ? { insecureTls: true } : {}),
  };
}
