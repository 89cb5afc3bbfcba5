// Exporting the access history: every page of `history.export` for a filter, then one JSON-lines file saved by the browser.
import type { Envelope, HistoryExportPage, HistoryFilter } from '../../preload/contract.js';

export type HistoryExportCall = (request: { filter?: HistoryFilter; cursor?: string }) => Promise<Envelope<HistoryExportPage>>;

export class HistoryExportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HistoryExportError';
  }
}

/**
 * The export's pages in order (each a block of lines ending in "\n") and their event count.
 * `onProgress` hears the running count after each page. Throws HistoryExportError with the
 * agent's code when a page fails; what was fetched before is dropped, since half a file would
 * look complete.
 */
export async function fetchHistoryExport(call: HistoryExportCall, filter: HistoryFilter, onProgress: (events: number) => void): Promise<{ parts: string[]; count: number }> {
  const parts: string[] = [];
  let count = 0;
  let cursor: string | undefined;
  do {
    const result = await call({ filter, ...(cursor !== undefined ? { cursor } : {}) });
    if (!result.ok) throw new HistoryExportError(result.error.code, result.error.message);
    parts.push(result.value.lines);
    count += result.value.count;
    cursor = result.value.nextCursor;
    onProgress(count);
  } while (cursor !== undefined);
  return { parts, count };
}

/** coffer-history-2026-11-30.jsonl: the date of the export, in local time. */
export function historyExportName(now = new Date()): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `coffer-history-${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}.jsonl`;
}

/** Hands the text to the browser as a download (a Blob URL and an <a download> click), then frees the URL. */
export function saveAsFile(parts: readonly string[], fileName: string): void {
  const url = URL.createObjectURL(new Blob(parts as string[], { type: 'application/x-ndjson' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once the click's task has run.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
