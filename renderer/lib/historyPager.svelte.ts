// Pages of the access history, newest first: one page held at a time, "Older" by the agent's cursor, "Newer" by the cursors already walked.
import type { Envelope, HistoryEvent, HistoryFilter, HistoryPage } from '../../preload/contract.js';
import type { CallFailure } from './keysLoader.svelte.js';

/** Events per page: enough to scan, few enough that the table stays one cheap page of DOM. */
export const HISTORY_PAGE_SIZE = 100;

export type HistoryListCall = (request: { filter?: HistoryFilter; cursor?: string; limit?: number }) => Promise<Envelope<HistoryPage>>;

/**
 * Holds the current page and the cursors that led to it (the first page's is undefined), so
 * "Newer" goes back without asking the agent for a reverse cursor. A failed load keeps the page
 * shown and sets `error`; only the latest request's answer is applied.
 */
export class HistoryPager {
  events: HistoryEvent[] = $state([]);
  error: CallFailure | undefined = $state(undefined);
  loading = $state(false);
  /** 1 for the newest page. */
  pageNumber = $state(1);
  nextCursor: string | undefined = $state(undefined);
  #cursors: (string | undefined)[] = [undefined];
  #filter: HistoryFilter = {};
  #generation = 0;
  readonly #list: HistoryListCall;

  constructor(list: HistoryListCall) {
    this.#list = list;
  }

  get hasOlder(): boolean {
    return this.nextCursor !== undefined;
  }

  get hasNewer(): boolean {
    return this.#cursors.length > 1;
  }

  /** Starts over at the newest page of `filter`. */
  async show(filter: HistoryFilter): Promise<void> {
    this.#filter = filter;
    this.#cursors = [undefined];
    await this.#load();
  }

  async older(): Promise<void> {
    if (this.nextCursor === undefined || this.loading) return;
    this.#cursors.push(this.nextCursor);
    if (!(await this.#load())) this.#cursors.pop();
  }

  async newer(): Promise<void> {
    if (this.#cursors.length < 2 || this.loading) return;
    const left = this.#cursors.pop();
    if (!(await this.#load())) this.#cursors.push(left);
  }

  /** True when the page arrived (or a newer request superseded it). */
  async #load(): Promise<boolean> {
    const generation = ++this.#generation;
    const cursor = this.#cursors.at(-1);
    this.loading = true;
    const result = await this.#list({ filter: this.#filter, limit: HISTORY_PAGE_SIZE, ...(cursor !== undefined ? { cursor } : {}) });
    if (generation !== this.#generation) return true;
    this.loading = false;
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    this.error = undefined;
    this.events = result.value.events;
    this.nextCursor = result.value.nextCursor;
    this.pageNumber = this.#cursors.length;
    return true;
  }
}
