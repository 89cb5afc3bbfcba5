// One bounded page of the JSON-lines export, for callers that fetch it piece by piece instead of holding a stream open.
import type { SqliteDatabase } from '../db/openDatabase.js';
import { AuditQueryError, MAX_PAGE_SIZE, queryAuditEvents, type AuditFilter } from './auditQuery.js';
import { exportJsonLine } from './exportJsonl.js';

/** Most events in one export page: a few megabytes of JSON at most. */
export const EXPORT_PAGE_EVENTS = 5000;

export interface ExportPage {
  /** The page's lines, each ending in "\n", in the format `exportJsonLines` writes. */
  lines: string;
  count: number;
  /** Present when more events match: pass it as `cursor` for the next page. */
  nextCursor?: string;
}

/**
 * Matching events after `cursor` (from the first when absent), oldest first, at most `maxEvents`
 * of them; the pages of one export, concatenated, equal `exportJsonLines` over the same filter
 * (events appended meanwhile show up at the end). Read in one transaction, so a page is one snapshot.
 * Throws AuditQueryError for a cursor this log did not hand out or a maxEvents below 1.
 */
export function exportJsonLinesPage(db: SqliteDatabase, filter: AuditFilter = {}, cursor?: string, maxEvents = EXPORT_PAGE_EVENTS): ExportPage {
  if (!Number.isSafeInteger(maxEvents) || maxEvents < 1) throw new AuditQueryError('an export page holds at least one event');
  return db.transaction(() => {
    const lines: string[] = [];
    let next = cursor;
    do {
      const page = queryAuditEvents(db, filter, { order: 'oldest', limit: Math.min(MAX_PAGE_SIZE, maxEvents - lines.length), ...(next !== undefined ? { cursor: next } : {}) });
      for (const record of page.events) lines.push(exportJsonLine(record));
      next = page.nextCursor;
    } while (next !== undefined && lines.length < maxEvents);
    return { lines: lines.join(''), count: lines.length, ...(next !== undefined ? { nextCursor: next } : {}) };
  })();
}
