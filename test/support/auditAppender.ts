// A separate process appending to one audit.db (run with `node --import tsx`): args are the file, a tag, a count and a start time.
import { AuditLog } from '../../main/core/audit/auditLog.js';

const [file, tag, countText, startAtText] = process.argv.slice(2);
if (!file || !tag || !countText || !startAtText) throw new Error('usage: auditAppender <file> <tag> <count> <start-at-ms>');
const log = AuditLog.open(file, { rootKey: Buffer.alloc(32, 7), batchSize: 16, flushDelayMs: 1, minCommitIntervalMs: 5, digestInterval: 50 });
const count = Number(countText);
const record = (i: number): void =>
  log.record({ time: new Date(), category: 'admin', operation: 'ConcurrencyProbe', outcome: 'success', principal: tag, requestId: `${tag}-${i}` });
// The first event starts the writer thread; then all processes start together and pace
// themselves, so their batches interleave on the file.
record(1);
await log.flush();
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAtText) - Date.now())));
for (let i = 2; i <= count; i += 1) {
  record(i);
  if (i % 4 === 0) await new Promise((r) => setTimeout(r, 2));
}
await log.close();
