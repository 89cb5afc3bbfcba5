// The access history as the UI reads it: filtered pages, a histogram over time, export pages, and the chain's verification.
import type { ContractHandlers, HistoryPage } from '../../../preload/contract.js';
import { auditHistogram, DEFAULT_HISTOGRAM_BUCKETS } from '../../core/audit/auditHistogram.js';
import type { AuditLog } from '../../core/audit/auditLog.js';
import { AuditQueryError } from '../../core/audit/auditQuery.js';
import { exportJsonLinesPage } from '../../core/audit/exportPage.js';
import { ApiError } from '../control/apiError.js';
import type { Agent } from '../runtime/agent.js';
import { toHistoryEvent } from './historyEvent.js';
import { toAuditFilter } from './historyFilter.js';

type HistoryChannels = 'history.list' | 'history.histogram' | 'history.verify' | 'history.export';

/** Events in a `history.list` page when the request names no limit. */
export const DEFAULT_HISTORY_PAGE = 100;

/**
 * Every read first commits what the agent has recorded so far, so an action the user just took
 * shows. A cursor or parameter the log refuses becomes ApiError InvalidRequest; a database
 * failure is left to the control API's unexpected-error path.
 */
export function historyHandlers(agent: Agent): Pick<ContractHandlers, HistoryChannels> {
  return {
    'history.list': async ({ filter, cursor, limit }) => {
      const log = await flushedHistory(agent);
      const page = refusedAsInvalid(() => log.query(toAuditFilter(filter), { limit: limit ?? DEFAULT_HISTORY_PAGE, order: 'newest', ...(cursor !== undefined ? { cursor } : {}) }));
      const result: HistoryPage = { events: page.events.map(toHistoryEvent) };
      if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
      return result;
    },
    'history.histogram': async ({ filter, buckets }) => {
      const log = await flushedHistory(agent);
      const histogram = refusedAsInvalid(() => auditHistogram(log.db, toAuditFilter(filter), { buckets: buckets ?? DEFAULT_HISTOGRAM_BUCKETS, now: new Date() }));
      return { from: histogram.from.toISOString(), bucketMs: histogram.bucketMs, counts: histogram.counts, failures: histogram.failures };
    },
    'history.verify': async () => {
      // A long history takes seconds to check: the embedded store keeps serving meanwhile.
      const result = await (await flushedHistory(agent)).verifyYielding();
      return {
        ok: result.ok,
        checked: result.checked,
        ...(result.firstBad ? { firstBadSeq: result.firstBad.seq, reason: result.firstBad.reason } : {}),
        verifiedAt: new Date().toISOString(),
      };
    },
    'history.export': async ({ filter, cursor }) => {
      const log = await flushedHistory(agent);
      return refusedAsInvalid(() => exportJsonLinesPage(log.db, toAuditFilter(filter), cursor));
    },
  };
}

/**
 * The agent's log after the store thread's queue and then its own are committed, so a read shows
 * every event recorded before it. A failing commit is not the reader's error: the log reports
 * it, and what is on disk still reads.
 */
async function flushedHistory(agent: Agent): Promise<AuditLog> {
  const log = agent.auditLog;
  try {
    await agent.store?.flushAudit();
    await log.flush();
  } catch {
    // The events stay queued and are retried; this read shows what is already committed.
  }
  return log;
}

function refusedAsInvalid<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof AuditQueryError) throw new ApiError('InvalidRequest', err.message);
    throw err;
  }
}
