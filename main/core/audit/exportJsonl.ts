// Streams matching events as JSON lines of CloudTrail-shaped records, oldest first, in constant memory.
import { Readable } from 'node:stream';
import type { SqliteDatabase } from '../db/openDatabase.js';
import { iterateAuditEvents, type AuditFilter, type AuditRecord } from './auditQuery.js';
import { toCloudTrailRecord } from './cloudTrail.js';

/** One line per event, each ending in "\n"; rows are read a page at a time as the consumer pulls. */
export function* exportJsonLines(db: SqliteDatabase, filter: AuditFilter = {}): Generator<string> {
  for (const record of iterateAuditEvents(db, filter, 'oldest')) yield exportJsonLine(record);
}

/** One event as its export line: the CloudTrail-shaped record as JSON, ending in "\n". */
export function exportJsonLine(record: AuditRecord): string {
  return `${JSON.stringify(toCloudTrailRecord(record))}\n`;
}

/** The same lines as a Readable that honours backpressure, for piping to a file or stdout. */
export function exportJsonLinesStream(db: SqliteDatabase, filter: AuditFilter = {}): Readable {
  return Readable.from(exportJsonLines(db, filter), { objectMode: false });
}
