// One stored event of the access history as the UI receives it: its chain place, an ISO time, and only the fields it has.
import type { HistoryEvent } from '../../../preload/contract.js';
import type { AuditRecord } from '../../core/audit/auditQuery.js';

export function toHistoryEvent(record: AuditRecord): HistoryEvent {
  const { time, ...fields } = record.event;
  const present = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Omit<HistoryEvent, 'seq' | 'time' | 'hash'>;
  return { seq: record.seq, time: time.toISOString(), ...present, hash: record.hash };
}
