// What each `coffer audit` command does on a data dir, running store or not; the commander wiring is in auditCommands.ts.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { openAuditDatabase } from '../../core/audit/auditDatabase.js';
import { AuditLog } from '../../core/audit/auditLog.js';
import { queryAuditEvents, type AuditFilter, type AuditPage, type AuditPageRequest } from '../../core/audit/auditQuery.js';
import { exportJsonLines } from '../../core/audit/exportJsonl.js';
import type { PruneResult } from '../../core/audit/pruneLog.js';
import { verifyAuditChain, type VerifyResult } from '../../core/audit/verifyChain.js';
import type { SqliteDatabase } from '../../core/db/openDatabase.js';
import { loadAuditRootKey, resolveAuditDataDir } from './auditDataDir.js';

/** The principal of events the CLI itself records. */
export const CLI_PRINCIPAL = 'coffer-cli';
const DAY_MS = 86_400_000;

/** verify found the chain broken; the message names the first bad event. */
export class AuditBrokenError extends Error {
  constructor(readonly result: VerifyResult) {
    super(`broken at event ${result.firstBad!.seq}: ${result.firstBad!.reason}`);
    this.name = 'AuditBrokenError';
  }
}

// Read-only commands open the file only if it exists: a store that never logged has an empty history.
function withAuditDatabase<T>(dataDir: string, empty: T, use: (db: SqliteDatabase, dir: string) => T): T {
  const where = resolveAuditDataDir(dataDir);
  if (!where.hasLog) return empty;
  const db = openAuditDatabase(where.auditFile);
  try {
    return use(db, where.dir);
  } finally {
    db.close();
  }
}

export function listAudit(dataDir: string, filter: AuditFilter, page: AuditPageRequest): AuditPage {
  return withAuditDatabase(dataDir, { events: [] }, (db) => queryAuditEvents(db, filter, page));
}

/** Writes JSON lines to `out`, waiting for it to drain so memory stays flat; returns the number of events. */
export async function exportAudit(dataDir: string, filter: AuditFilter, out: NodeJS.WritableStream): Promise<number> {
  const where = resolveAuditDataDir(dataDir);
  if (!where.hasLog) return 0;
  const db = openAuditDatabase(where.auditFile);
  let count = 0;
  try {
    for (const line of exportJsonLines(db, filter)) {
      count += 1;
      if (!out.write(line)) await once(out, 'drain');
    }
  } finally {
    db.close();
  }
  return count;
}

export async function exportAuditToFile(dataDir: string, filter: AuditFilter, file: string): Promise<number> {
  resolveAuditDataDir(dataDir);
  // 0600: the export names buckets, keys and callers, which are not for every user on the machine.
  const out = createWriteStream(file, { mode: 0o600 });
  try {
    const count = await exportAudit(dataDir, filter, out);
    out.end();
    await once(out, 'finish');
    return count;
  } catch (err) {
    out.destroy();
    throw err;
  }
}

export function verifyAudit(dataDir: string, env: NodeJS.ProcessEnv = process.env): VerifyResult {
  const empty: VerifyResult = { ok: true, checked: 0, checkpointSeq: 0, digests: 0, lastSeq: 0 };
  const result = withAuditDatabase(dataDir, empty, (db, dir) => verifyAuditChain(db, loadAuditRootKey(dir, env)));
  if (!result.ok) throw new AuditBrokenError(result);
  return result;
}

export async function pruneAudit(
  dataDir: string,
  olderThanDays: number,
  force: boolean,
  env: NodeJS.ProcessEnv = process.env,
  now: () => Date = () => new Date(),
): Promise<PruneResult & { olderThan: Date }> {
  const where = resolveAuditDataDir(dataDir);
  const olderThan = new Date(now().getTime() - olderThanDays * DAY_MS);
  if (!where.hasLog) return { pruned: 0, olderThan };
  const log = AuditLog.open(where.auditFile, { rootKey: loadAuditRootKey(where.dir, env), busyTimeoutMs: 15_000, now });
  try {
    return { ...log.prune(olderThan, { force, principal: CLI_PRINCIPAL }), olderThan };
  } finally {
    await log.close();
  }
}

export function describeVerified(result: VerifyResult): string {
  const from = result.checkpointSeq + 1;
  const parts = [`verified ${result.checked} events`];
  if (result.checked > 0) parts.push(` (events ${from}-${result.lastSeq}, ${result.digests} signed digests, last hash ${result.lastHash})`);
  if (result.checkpointSeq > 0) parts.push(`; events up to ${result.checkpointSeq} were pruned`);
  return parts.join('');
}
