// The access history's filter three ways: the form's fields, the contract's HistoryFilter, and the query in the URL hash.
import type { FolderStatus, HistoryFilter } from '../../preload/contract.js';

export const HISTORY_CATEGORIES = ['s3', 'kms', 'admin', 'sync'] as const;
export const HISTORY_OUTCOMES = ['success', 'failure', 'denied'] as const;

/** Operations offered as suggestions; any other name can be typed. */
export const HISTORY_OPERATIONS = [
  'PutObject',
  'GetObject',
  'HeadObject',
  'DeleteObject',
  'CopyObject',
  'ListObjectsV2',
  'CreateMultipartUpload',
  'CompleteMultipartUpload',
  'GenerateDataKey',
  'Decrypt',
  'CreateKey',
  'RotateKeyOnDemand',
  'DisableKey',
  'EnableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'VaultUnlock',
  'RotateMasterKey',
] as const;

/** What the form holds: text as typed, times as a datetime-local input writes them (local time, no zone). */
export interface HistoryFormFields {
  since: string;
  until: string;
  category: string;
  operation: string;
  /** A folder's id from the agent's status: its bucket and prefix narrow the events. */
  folderId: string;
  bucket: string;
  keyPrefix: string;
  principal: string;
  outcome: string;
  keyId: string;
  text: string;
}

/** A form that narrows nothing. */
export function emptyHistoryForm(): HistoryFormFields {
  return { since: '', until: '', category: '', operation: '', folderId: '', bucket: '', keyPrefix: '', principal: '', outcome: '', keyId: '', text: '' };
}

/** An ISO time as a datetime-local input's value (local time to the second); '' for none or a bad time. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** A datetime-local value (read as local time) as ISO; undefined for '' or a value that does not parse. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/**
 * The filter the form asks for. A chosen folder gives the bucket and the start of the key prefix
 * (a typed prefix continues it); without one, the typed bucket counts. Empty fields narrow nothing.
 */
export function filterOfForm(form: HistoryFormFields, folders: readonly FolderStatus[]): HistoryFilter {
  const filter: HistoryFilter = {};
  const since = fromLocalInput(form.since);
  const until = fromLocalInput(form.until);
  if (since) filter.since = since;
  if (until) filter.until = until;
  if (isOneOf(HISTORY_CATEGORIES, form.category)) filter.category = form.category;
  if (isOneOf(HISTORY_OUTCOMES, form.outcome)) filter.outcome = form.outcome;
  const folder = folders.find((f) => f.id === form.folderId);
  const bucket = folder ? folder.bucket : form.bucket.trim();
  const keyPrefix = (folder?.prefix ?? '') + form.keyPrefix;
  if (bucket) filter.bucket = bucket;
  if (keyPrefix) filter.keyPrefix = keyPrefix;
  const texts = { operation: form.operation, principal: form.principal, keyId: form.keyId, text: form.text } as const;
  for (const [name, value] of Object.entries(texts) as [keyof typeof texts, string][]) {
    if (value.trim()) filter[name] = value.trim();
  }
  return filter;
}

/** The form showing `filter` (a folder is not guessed back: its bucket and prefix show as typed). */
export function formOfFilter(filter: HistoryFilter): HistoryFormFields {
  return {
    ...emptyHistoryForm(),
    since: toLocalInput(filter.since),
    until: toLocalInput(filter.until),
    category: filter.category ?? '',
    operation: filter.operation ?? '',
    bucket: filter.bucket ?? '',
    keyPrefix: filter.keyPrefix ?? '',
    principal: filter.principal ?? '',
    outcome: filter.outcome ?? '',
    keyId: filter.keyId ?? '',
    text: filter.text ?? '',
  };
}

/** Short names in the URL: #/history?op=PutObject&outcome=failure. */
const URL_NAMES = {
  since: 'since',
  until: 'until',
  category: 'category',
  operation: 'op',
  bucket: 'bucket',
  keyPrefix: 'prefix',
  principal: 'principal',
  outcome: 'outcome',
  keyId: 'key',
  text: 'q',
} as const satisfies Record<keyof HistoryFilter, string>;

/** The hash that keeps `filter` across a reload: '#/history' alone for no filter. */
export function historyHash(filter: HistoryFilter): string {
  const params = new URLSearchParams();
  for (const [field, name] of Object.entries(URL_NAMES) as [keyof HistoryFilter, string][]) {
    const value = filter[field];
    if (value) params.set(name, value);
  }
  const query = params.toString();
  return query ? `#/history?${query}` : '#/history';
}

/** The filter a hash carries; unknown names and values outside the contract's lists are ignored. */
export function filterOfHash(hash: string): HistoryFilter {
  const at = hash.indexOf('?');
  if (at < 0) return {};
  const params = new URLSearchParams(hash.slice(at + 1));
  const filter: HistoryFilter = {};
  for (const [field, name] of Object.entries(URL_NAMES) as [keyof HistoryFilter, string][]) {
    const value = params.get(name);
    if (!value) continue;
    if (field === 'since' || field === 'until') {
      if (!Number.isNaN(new Date(value).getTime())) filter[field] = new Date(value).toISOString();
    } else if (field === 'category') {
      if (isOneOf(HISTORY_CATEGORIES, value)) filter.category = value;
    } else if (field === 'outcome') {
      if (isOneOf(HISTORY_OUTCOMES, value)) filter.outcome = value;
    } else {
      filter[field] = value;
    }
  }
  return filter;
}

/** The quick ranges: the last hour, day or week up to now (no end), or no range at all. */
export const QUICK_RANGES = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last day', ms: 86_400_000 },
  { label: 'Last week', ms: 7 * 86_400_000 },
  { label: 'All time', ms: undefined },
] as const;

/** The filter with its time range replaced by the last `ms` milliseconds (or no range at all). */
export function withQuickRange(filter: HistoryFilter, ms: number | undefined, now = Date.now()): HistoryFilter {
  const { since: _since, until: _until, ...rest } = filter;
  return ms === undefined ? rest : { ...rest, since: new Date(now - ms).toISOString() };
}
