// `coffer folder add` options end to end: the default bucket name, and a remote folder set up by flags
// alone (credentials, prefix, region, certificate trust, an SSE-KMS key id), syncing through a real agent.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentDevice, type AgentDevice } from '../support/agentDevice.js';
import { runCoffer } from '../support/cofferCli.js';

let devices: AgentDevice[] = [];
afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
});

interface Status {
  folders: { bucket: string; prefix: string; mode: string; kmsKeyId?: string; store: string; state: string; errors: unknown[] }[];
}

describe('folder add options', () => {
  it('names the bucket after the folder; a remote folder runs on flags alone, under its prefix, with its KMS key', async () => {
    const a = await createAgentDevice('laptop');
    const b = await createAgentDevice('desktop');
    devices.push(a, b);
    await a.coffer(['vault', 'init']);
    await b.coffer(['vault', 'init']);
    await a.coffer(['folder', 'add', a.folder]);
    await a.start();
    const laptop = JSON.parse((await a.coffer(['status', '--json'])).stdout) as Status;
    // a.folder is <base>/folder: the bucket is named after that last path segment.
    expect(laptop.folders[0]).toMatchObject({ bucket: 'folder', prefix: '', mode: 'sse-s3', store: 'embedded' });

    const created = await runCoffer(['kms', 'create-key', '--alias', 'alias/team', '--data-dir', join(a.dataDir, 'store'), '--json']);
    expect(created.code, created.stderr).toBe(0);
    const keyId = (JSON.parse(created.stdout) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;

    const access = a.storeAccess();
    // No AWS_* variables and no CA file: everything the remote folder needs comes from its flags.
    await b.coffer(
      ['folder', 'add', b.folder, '--store', access.httpsUrl, '--path-style', '--insecure-tls', '--region', 'us-east-1', '--bucket', 'team-share', '--prefix', 'team/',
        '--mode', 'sse-kms', '--kms-key-id', 'alias/team', '--access-key', access.accessKeyId, '--secret-key', access.secretAccessKey],
      { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    );
    await b.start();
    writeFileSync(join(b.folder, 'report.txt'), 'from the desktop, under the team prefix');
    await b.coffer(['sync-now']);
    const desktop = JSON.parse((await b.coffer(['status', '--json'])).stdout) as Status;
    expect(desktop.folders[0]).toMatchObject({ bucket: 'team-share', prefix: 'team/', mode: 'sse-kms', kmsKeyId: 'alias/team', store: access.httpsUrl, state: 'idle', errors: [] });

    const s3 = a.s3();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'team-share' }));
    expect((listed.Contents ?? []).map((o) => o.Key).filter((k) => !k!.includes('.coffer'))).toEqual(['team/report.txt']);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'team-share', Key: 'team/report.txt' }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toContain(keyId);
  });
});
