// `coffer status` end to end: what it reports from the data dir with no agent, and, sampled while the agent works, a first scan and a long folder job.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { openVault } from '../../main/core/keys/vault/index.js';
import type { FolderJobKind, FolderStatus } from '../../preload/contract.js';
import { createAgentDevice, PASSPHRASE, type AgentDevice } from '../support/agentDevice.js';
import { bodyOf, customerKey, sseC } from '../support/s3Expect.js';
import { folderOf, sampleStatuses, statusJson, waitUntil } from '../support/statusSamples.js';

let device: AgentDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Non-decreasing, as the counts of one scan or one job must be. */
function growsOnly(values: readonly number[]): boolean {
  return values.every((v, i) => i === 0 || v >= values[i - 1]!);
}

describe('coffer status', () => {
  it('with no agent running, reports each folder from the data dir: its state, the last sync the agent recorded, its last error', async () => {
    const d = (device = await createAgentDevice('laptop'));
    const docs = join(d.base, 'docs');
    const keyed = join(d.base, 'keyed');
    const folderKey = customerKey();
    const keyFile = join(d.base, 'keyed.key');
    writeFileSync(keyFile, folderKey.raw.toString('hex'));
    await d.coffer(['vault', 'init']);
    await d.coffer(['folder', 'add', docs, '--bucket', 'docs']);
    await d.coffer(['folder', 'add', keyed, '--bucket', 'keyed', '--mode', 'sse-c-key', '--sse-c-key-file', keyFile]);
    writeFileSync(join(docs, 'report.txt'), 'quarterly figures');
    const startedAt = Date.now();
    await d.start();
    // Another client's object under a key this device does not hold: its download fails, and the folder records why.
    const foreignKey = customerKey();
    await d.s3().send(new PutObjectCommand({ Bucket: 'keyed', Key: 'foreign.txt', Body: 'sealed with a key the device lacks', ...sseC(foreignKey) }));
    await d.coffer(['sync-now']);
    const live = await statusJson(d);
    expect(folderOf(live, 'docs')).toMatchObject({ state: 'idle', errors: [] });
    expect(folderOf(live, 'keyed').errors).toEqual([{ path: 'foreign.txt', message: expect.stringMatching(/AccessDenied/) }]);
    await d.stop();
    const stoppedAt = Date.now();

    const offline = await statusJson(d);
    expect(offline).toMatchObject({ agentRunning: false, vault: { exists: true, unlocked: false } });
    expect(offline.folders).toHaveLength(2);
    for (const bucket of ['docs', 'keyed']) {
      const lastSyncAt = folderOf(offline, bucket).lastSyncAt!;
      expect(lastSyncAt).toMatch(ISO_TIME);
      expect(Date.parse(lastSyncAt)).toBeGreaterThanOrEqual(startedAt);
      expect(Date.parse(lastSyncAt)).toBeLessThanOrEqual(stoppedAt);
      // The very time the running agent reported: read from its index, not made up when asked.
      expect(lastSyncAt).toBe(folderOf(live, bucket).lastSyncAt);
    }
    const idle: Partial<FolderStatus> = { state: 'idle', reason: 'the agent is not running', store: 'embedded', mode: 'sse-s3', localPath: docs };
    expect(folderOf(offline, 'docs')).toMatchObject({ ...idle, pendingUp: 0, pendingDown: 0, errors: [], watchMode: 'off', unresolvedConflicts: 0 });
    expect(folderOf(offline, 'keyed')).toMatchObject({ state: 'error', reason: expect.stringMatching(/AccessDenied/), mode: 'sse-c-key', pendingUp: 0, pendingDown: 0 });

    const words = (await d.coffer(['status'])).stdout;
    expect(words).toContain('Agent: not running   vault: locked');
    expect(words).toContain(`${docs}  [idle]  the agent is not running`);
    expect(words).toContain(`  pending up 0, down 0   last sync ${folderOf(live, 'docs').lastSyncAt}   watch off`);
    expect(words).toMatch(new RegExp(`^${keyed}  \\[error\\]  .*AccessDenied`, 'm'));
    for (const secret of [folderKey.base64, folderKey.raw.toString('hex'), foreignKey.base64, foreignKey.raw.toString('hex')]) {
      expect(words + JSON.stringify(offline)).not.toContain(secret);
    }
  });

  it('while sync-now scans a folder of many new files, samples show the scan with counts that only grow, in JSON and in words', { timeout: 300_000 }, async () => {
    // Many small files: hashing them all keeps the scan going for several looks at the status.
    const FILES = 20_000;
    const SIZE = 512;
    const d = (device = await createAgentDevice('laptop', { watch: false, remotePollSeconds: 3600 }));
    await d.coffer(['vault', 'init']);
    await d.coffer(['folder', 'add', d.folder, '--bucket', 'scanned']);
    await d.start();
    // The agent's own first cycle, over the empty folder, is over before the files appear: the scan sampled is sync-now's.
    await waitUntil('the first cycle', async () => folderOf(await statusJson(d), 'scanned').lastSyncAt);
    for (let i = 0; i < FILES; i++) {
      mkdirSync(join(d.folder, `batch-${i % 100}`), { recursive: true });
      writeFileSync(join(d.folder, `batch-${i % 100}`, `file-${i}.bin`), randomBytes(SIZE));
    }

    let paused = false;
    const run = await sampleStatuses(d, d.coffer(['sync-now']), 'scanned', async (folder) => {
      // Only the scan is under test: once uploads begin, pausing the folder ends the cycle, and sync-now with it.
      if (folder.state !== 'syncing' || paused) return;
      paused = true;
      await d.coffer(['folder', 'pause', folder.id]);
    });

    const scans = run.folders.filter((f) => f.state === 'scanning' && f.scan !== undefined).map((f) => f.scan!);
    expect(scans.length).toBeGreaterThan(0);
    // Caught part way: some files hashed, not yet all.
    expect(scans.some((s) => s.filesHashed > 0 && s.filesHashed < FILES)).toBe(true);
    for (const scan of scans) {
      expect(scan.filesSeen).toBeLessThanOrEqual(FILES);
      expect(scan.filesHashed).toBeLessThanOrEqual(scan.filesSeen);
      expect(scan.bytesHashed).toBeLessThanOrEqual(FILES * SIZE);
    }
    expect(growsOnly(scans.map((s) => s.filesSeen))).toBe(true);
    expect(growsOnly(scans.map((s) => s.filesHashed))).toBe(true);
    expect(growsOnly(scans.map((s) => s.bytesHashed))).toBe(true);
    // Nothing is sent while the folder is still being scanned.
    expect(run.folders.every((f) => f.state !== 'scanning' || f.bytesDone === 0)).toBe(true);

    const scanningLine = /^ {2}scanning: (\d+) files seen, (\d+) hashed \(\d+(\.\d)? (B|KiB|MiB)\)$/m;
    const described = run.words.filter((out) => out.includes(`${d.folder}  [scanning]`) && scanningLine.test(out)).map((out) => scanningLine.exec(out)!);
    expect(described.length).toBeGreaterThan(0);
    for (const [, seen, hashed] of described) {
      expect(Number(hashed)).toBeLessThanOrEqual(Number(seen));
      expect(Number(seen)).toBeLessThanOrEqual(FILES);
    }
  });
});

describe('a long job in the running agent\'s status', () => {
  const BUCKET = 'jobs';
  /** The store copies each object in turn: this many keep a job busy for several looks at the status. */
  const FILES = 300;

  /** A running agent whose one folder (in `mode`) has FILES small files synced; returns the folder's id. */
  async function syncedFolder(mode: string): Promise<{ d: AgentDevice; folderId: string }> {
    const d = (device = await createAgentDevice('laptop'));
    await d.coffer(['vault', 'init']);
    await d.coffer(['folder', 'add', d.folder, '--mode', mode, '--bucket', BUCKET]);
    for (let i = 0; i < FILES; i++) {
      mkdirSync(join(d.folder, `part-${i % 10}`), { recursive: true });
      writeFileSync(join(d.folder, `part-${i % 10}`, `note-${i}.txt`), `note number ${i}`);
    }
    await d.start();
    await d.coffer(['sync-now']);
    return { d, folderId: folderOf(await statusJson(d), BUCKET).id };
  }

  /** Checks every sample that shows the job, and that the samples caught it part way with its done count only growing. */
  function expectJobSamples(folders: readonly FolderStatus[], kind: FolderJobKind): void {
    const jobs = folders.filter((f) => f.job !== undefined).map((f) => ({ ...f, job: f.job! }));
    for (const f of jobs) {
      expect(f).toMatchObject({ state: 'syncing', job: { kind } });
      expect(f.reason).toBe(`${kind === 'rekey' ? 're-keying' : 're-encrypting'} ${f.job.done} of ${f.job.total}`);
      // The total is 0 only until the job has counted the objects.
      expect([0, FILES]).toContain(f.job.total);
      expect(f.job.done).toBeLessThanOrEqual(f.job.total);
    }
    expect(growsOnly(jobs.map((f) => f.job.done))).toBe(true);
    expect(jobs.some((f) => f.job.total === FILES && f.job.done > 0 && f.job.done < FILES)).toBe(true);
  }

  /** The plain samples with `header` and a job line (`line` captures done and total): at least one over the whole folder. */
  function expectJobLines(words: readonly string[], header: string, line: RegExp): void {
    const counts = words.filter((out) => out.includes(header) && line.test(out)).map((out) => line.exec(out)!.slice(1, 3).map(Number));
    for (const [done, total] of counts) {
      expect([0, FILES]).toContain(total);
      expect(done).toBeLessThanOrEqual(total!);
    }
    expect(counts.some(([, total]) => total === FILES)).toBe(true);
  }

  it('coffer keys rekey: the folder shows the job with its done count growing toward the total, in JSON and in words', { timeout: 300_000 }, async () => {
    const { d, folderId } = await syncedFolder('sse-c-vault');
    const run = await sampleStatuses(d, d.coffer(['keys', 'rekey', '--folder', folderId]), BUCKET);

    expectJobSamples(run.folders, 'rekey');
    expectJobLines(run.words, `${d.folder}  [syncing]  re-keying`, /^ {2}re-keying: (\d+) of (\d+) objects$/m);
    // The command's own progress lines, read from the same status, and its closing count.
    const printed = [...run.result.stdout.matchAll(new RegExp(`^re-keying ${folderId}: (\\d+) of ${FILES}$`, 'gm'))].map((m) => Number(m[1]));
    expect(printed.length).toBeGreaterThan(0);
    expect(growsOnly(printed)).toBe(true);
    expect(run.result.stdout).toContain(`Re-keyed ${FILES} files (0 skipped: gone from the store, 0 failed).`);

    const after = folderOf(await statusJson(d), BUCKET);
    expect(after.job).toBeUndefined();
    expect(after).toMatchObject({ state: 'idle', mode: 'sse-c-vault', errors: [] });
  });

  it('coffer folder set-mode: the folder shows the pending mode and the re-encryption count growing toward the total, in JSON and in words', { timeout: 300_000 }, async () => {
    const { d, folderId } = await syncedFolder('sse-s3');
    const run = await sampleStatuses(d, d.coffer(['folder', 'set-mode', folderId, '--mode', 'sse-c-vault']), BUCKET);

    expectJobSamples(run.folders, 'change-mode');
    for (const f of run.folders.filter((s) => s.job !== undefined)) expect(f).toMatchObject({ mode: 'sse-s3', pendingMode: 'sse-c-vault' });
    expectJobLines(run.words, `${d.folder}  [syncing]  re-encrypting`, /^ {2}changing mode to sse-c-vault: (\d+) of (\d+) objects re-encrypted$/m);
    expect(run.result.stdout).toContain(`Folder ${folderId} is now sse-c-vault: re-encrypted ${FILES} objects`);

    const after = folderOf(await statusJson(d), BUCKET);
    expect(after.job).toBeUndefined();
    expect(after.pendingMode).toBeUndefined();
    expect(after).toMatchObject({ state: 'idle', mode: 'sse-c-vault' });
    // The objects really moved: one reads back under its new per-file key from the vault.
    const vault = openVault(d.dataDir);
    try {
      await vault.unlock(PASSPHRASE);
      const fileKey = customerKey(vault.fileKey(folderId, 'part-7/note-7.txt')!);
      const out = await d.s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'part-7/note-7.txt', ...sseC(fileKey) }));
      expect((await bodyOf(out)).toString()).toBe('note number 7');
    } finally {
      vault.close();
    }
  });
});
