// `coffer audit` as users run it: the built CLI on a real data dir with a real audit.db.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/core/audit/auditLog.js';
import { openDatabase } from '../../main/core/db/openDatabase.js';
import { storeMigrations } from '../../main/core/store/storage/migrations/index.js';
import { sampleEvent, tamper } from '../core/audit/helpers.js';
import { COFFER_BIN } from '../support/storeProcess.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dataDir: string;
let rootKey: Buffer;

/** Runs the built CLI; the root key comes from root.key unless the test passes one. */
function coffer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [COFFER_BIN, ...args], { env: { ...process.env, COFFER_STORE_ROOT_KEY: '', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A data dir as `coffer store` leaves it: store.db and a 0600 root.key. */
function makeStoreDir(): void {
  openDatabase(join(dataDir, 'store.db'), { migrations: storeMigrations }).close();
  writeFileSync(join(dataDir, 'root.key'), `${rootKey.toString('base64')}\n`, { mode: 0o600 });
}

/** 20 events from June 2025 and 5 from the last hour. */
async function writeEvents(): Promise<void> {
  const log = AuditLog.openInDataDir(dataDir, { rootKey, digestInterval: 10 });
  for (let i = 1; i <= 20; i += 1) log.record(sampleEvent(i));
  for (let i = 21; i <= 25; i += 1) log.record(sampleEvent(i, { time: new Date(Date.now() - 60_000 + i) }));
  await log.close();
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-audit-cli-'));
  rootKey = randomBytes(32);
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('coffer audit', () => {
  it('lists events newest first, filtered, a page at a time', async () => {
    makeStoreDir();
    await writeEvents();
    const first = await coffer(['audit', 'list', '--data-dir', dataDir, '--limit', '2']);
    expect(first.code).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#25 {2}\d{4}-\d{2}-\d{2}T.*Z {2}s3 {5}PutObject {2}success {2}200 {2}by AKIA1 {2}from 127\.0\.0\.1 {2}bucket-0\/dir-4\/file-25\.txt {2}SSE-S3 {2}key store-master-key v1$/);
    expect(lines[1]).toMatch(/^#24 /);
    expect(lines[2]).toBe('more: add --cursor 24');
    const next = await coffer(['audit', 'list', '--data-dir', dataDir, '--limit', '2', '--cursor', '24']);
    expect(next.stdout).toMatch(/^#23 [^\n]*\n#22 /);

    const kms = await coffer(['audit', 'list', '--data-dir', dataDir, '--category', 'kms', '--json']);
    const page = JSON.parse(kms.stdout) as { events: { seq: number; event: { operation: string } }[]; nextCursor?: string };
    expect(page.events.map((r) => r.seq)).toEqual([20, 10]);
    expect(page.events.every((r) => r.event.operation === 'Decrypt')).toBe(true);
    expect(page.nextCursor).toBeUndefined();

    const failures = await coffer(['audit', 'list', '--data-dir', dataDir, '--outcome', 'failure', '--bucket', 'bucket-2', '--since', '2025-01-01']);
    expect(failures.stdout.trimEnd().split('\n')).toEqual([expect.stringMatching(/^#7 .* failure {2}403 {2}AccessDenied /)]);
  });

  it('exports JSON lines to stdout or to a 0600 file', async () => {
    makeStoreDir();
    await writeEvents();
    const out = await coffer(['audit', 'export', '--data-dir', dataDir, '--operation', 'GetObject,HeadObject']);
    expect(out.code).toBe(0);
    const records = out.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.eventName)).toEqual(['GetObject', 'HeadObject', 'GetObject', 'HeadObject', 'GetObject', 'HeadObject', 'GetObject', 'HeadObject', 'GetObject', 'HeadObject']);
    expect(records[0]).toMatchObject({ eventSource: 's3.amazonaws.com', seq: 1, requestParameters: { bucketName: 'bucket-1' }, userIdentity: { accessKeyId: 'AKIA1' } });

    const file = join(dataDir, 'out.jsonl');
    const toFile = await coffer(['audit', 'export', '--data-dir', dataDir, '--output', file]);
    expect(toFile.stdout.trim()).toBe(`exported 25 events to ${file}`);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(25);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('verifies an intact log (exit 0) and names the first bad event of a tampered one (exit 1)', async () => {
    makeStoreDir();
    await writeEvents();
    const ok = await coffer(['audit', 'verify', '--data-dir', dataDir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^verified 25 events \(events 1-25, 3 signed digests, last hash [0-9a-f]{64}\)\n$/);

    const envKey = await coffer(['audit', 'verify', '--data-dir', dataDir], { COFFER_STORE_ROOT_KEY: rootKey.toString('hex') });
    expect(envKey.code).toBe(0);
    const wrongKey = await coffer(['audit', 'verify', '--data-dir', dataDir], { COFFER_STORE_ROOT_KEY: randomBytes(32).toString('hex') });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/broken at event 1: the settings signature does not verify \(wrong root key/);

    tamper(join(dataDir, 'audit.db'), (db) => db.prepare("UPDATE events SET event_json = replace(event_json, 'AKIA1', 'AKIA0') WHERE seq = 7").run());
    const broken = await coffer(['audit', 'verify', '--data-dir', dataDir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr.trim()).toBe('coffer: broken at event 7: hash mismatch (edited row)');
  });

  it('prunes old events behind a checkpoint, logs that it did, and still verifies', async () => {
    makeStoreDir();
    await writeEvents();
    const pruned = await coffer(['audit', 'prune', '--data-dir', dataDir, '--older-than-days', '30']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/^pruned 20 events older than \S+Z; the chain now starts after event 20\n$/);
    const verified = await coffer(['audit', 'verify', '--data-dir', dataDir]);
    expect(verified.stdout).toMatch(/^verified 6 events \(events 21-26, .*\); events up to 20 were pruned\n$/);
    const admin = await coffer(['audit', 'list', '--data-dir', dataDir, '--category', 'admin']);
    expect(admin.stdout).toMatch(/^#26 .* admin {2}PruneAuditLog {2}success {2}by coffer-cli\n$/);
    const again = await coffer(['audit', 'prune', '--data-dir', dataDir, '--older-than-days', '30']);
    expect(again.stdout).toMatch(/^nothing to prune: no events older than /);
  });

  it('refuses a directory without a store, and a store without a root key, creating nothing', async () => {
    const none = await coffer(['audit', 'list', '--data-dir', dataDir]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/holds no store \(no store\.db\)/);
    openDatabase(join(dataDir, 'store.db'), { migrations: storeMigrations }).close();
    const noKey = await coffer(['audit', 'verify', '--data-dir', dataDir]);
    expect(noKey.code).toBe(0); // no audit.db yet: nothing to verify, so no key is needed
    expect(noKey.stdout.trim()).toBe('verified 0 events');
    await writeEvents();
    const missingKey = await coffer(['audit', 'verify', '--data-dir', dataDir]);
    expect(missingKey.code).toBe(1);
    expect(missingKey.stderr).toMatch(/no store root key: set COFFER_STORE_ROOT_KEY as the store has it, or keep root\.key/);
    expect(existsSync(join(dataDir, 'root.key'))).toBe(false);
  });

  it('treats a store that never logged as an empty history without creating audit.db', async () => {
    makeStoreDir();
    const list = await coffer(['audit', 'list', '--data-dir', dataDir]);
    expect(list.stdout.trim()).toBe('no matching events');
    const exported = await coffer(['audit', 'export', '--data-dir', dataDir]);
    expect(exported).toMatchObject({ code: 0, stdout: '' });
    expect(existsSync(join(dataDir, 'audit.db'))).toBe(false);
  });

  it('explains bad flags', async () => {
    makeStoreDir();
    const since = await coffer(['audit', 'list', '--data-dir', dataDir, '--since', 'yesterday']);
    expect(since.code).toBe(1);
    expect(since.stderr).toMatch(/--since: must be an ISO-8601 date or time/);
    const category = await coffer(['audit', 'list', '--data-dir', dataDir, '--category', 'web']);
    expect(category.stderr).toMatch(/--category: /);
    const cursor = await coffer(['audit', 'list', '--data-dir', dataDir, '--cursor', 'x']);
    expect(cursor).toMatchObject({ code: 0 }); // no audit.db: nothing to page through
    const days = await coffer(['audit', 'prune', '--data-dir', dataDir, '--older-than-days', 'soon']);
    expect(days.code).toBe(1);
    expect(days.stderr).toMatch(/--older-than-days: /);
  });
});
