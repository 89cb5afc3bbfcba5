// The add-folder form's request: empty fields left out, mode fields only for their mode, remote fields only with an address.
import { describe, expect, it } from 'vitest';
import { addFolderRequest, emptyFolderForm, FolderFormError } from '../../renderer/lib/folderRequest.js';

describe('addFolderRequest', () => {
  it('sends just the path and the mode for the embedded store, vault keys by default', () => {
    expect(addFolderRequest({ ...emptyFolderForm(), localPath: ' /home/me/Documents ', kmsKeyId: 'ignored', sseCKeyFile: 'ignored' })).toEqual({ localPath: '/home/me/Documents', mode: 'sse-c-vault' });
  });

  it('adds the KMS key or the key file only in their modes, and refuses sse-c-key without a file', () => {
    expect(addFolderRequest({ ...emptyFolderForm('sse-kms'), localPath: '/f', kmsKeyId: 'alias/team' })).toEqual({ localPath: '/f', mode: 'sse-kms', kmsKeyId: 'alias/team' });
    expect(addFolderRequest({ ...emptyFolderForm('sse-c-key'), localPath: '/f', sseCKeyFile: '/k.key', rememberKey: true })).toEqual({ localPath: '/f', mode: 'sse-c-key', sseCKeyFile: '/k.key', rememberKey: true });
    expect(() => addFolderRequest({ ...emptyFolderForm('sse-c-key'), localPath: '/f' })).toThrow(FolderFormError);
    expect(() => addFolderRequest(emptyFolderForm())).toThrow(expect.objectContaining({ field: 'localPath' }));
  });

  it('carries a remote store’s fields only with its address, the secret exactly as typed', () => {
    const remote = { ...emptyFolderForm('sse-s3'), localPath: '/f', bucket: 'team', endpoint: 'https://s3.example.com', region: 'eu-west-3', accessKeyId: 'AKIA1', secretAccessKey: ' s3cr3t ' };
    expect(addFolderRequest(remote)).toEqual({ localPath: '/f', mode: 'sse-s3', bucket: 'team', store: 'https://s3.example.com', pathStyle: true, region: 'eu-west-3', accessKeyId: 'AKIA1', secretAccessKey: ' s3cr3t ' });
    expect(addFolderRequest({ ...remote, endpoint: '' })).toEqual({ localPath: '/f', mode: 'sse-s3', bucket: 'team' });
    expect(() => addFolderRequest({ ...remote, endpoint: 's3.example.com' })).toThrow(expect.objectContaining({ field: 'endpoint' }));
  });
});
