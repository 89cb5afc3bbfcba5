// How one event reads in a table row: a compact time, where it happened, which key, and the status it ended with.
import type { HistoryEvent } from '../../preload/contract.js';

/** Outcome marks that go with the word, so an outcome never rests on color alone. */
export const OUTCOME_MARK = { success: '✓', failure: '✗', denied: '⊘' } as const;

/** 2026-11-30 06:59:34 in local time: compact, and sortable by eye ('' for a time that does not parse). */
export function historyTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** A KMS ARN's last part tells keys apart; the full id stays in the tooltip and the detail. */
export function historyKey(event: HistoryEvent): string {
  if (!event.keyId) return '';
  const id = event.keyId.includes('/') ? event.keyId.slice(event.keyId.lastIndexOf('/') + 1) : event.keyId;
  return event.keyVersion ? `${id} · v${event.keyVersion}` : id;
}

/** bucket/object key, the bucket alone, or '' for events outside the store. */
export function historyPlace(event: HistoryEvent): string {
  if (!event.bucket) return '';
  return event.objectKey ? `${event.bucket}/${event.objectKey}` : event.bucket;
}

/** "403 AccessDenied": the HTTP status and the error code, whichever the event has. */
export function historyStatus(event: HistoryEvent): string {
  return [event.httpStatus, event.errorCode].filter((part) => part !== undefined).join(' ');
}
