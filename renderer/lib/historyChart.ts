// The access history's chart, computed: bar geometry for stacked success and failure counts, and the text that says what it shows.
import type { HistoryHistogram } from '../../preload/contract.js';

export interface HistoryBar {
  index: number;
  /** The bucket's range, ISO: since inclusive, until exclusive. */
  since: string;
  until: string;
  total: number;
  failed: number;
  x: number;
  width: number;
  /** Heights in chart units; the failed part sits on top of the successful part. */
  successHeight: number;
  failedHeight: number;
}

/** Chart units; the SVG scales them to its box. */
export const CHART_WIDTH = 600;
export const CHART_HEIGHT = 120;
/** A bucket with events is at least this tall, so one event among thousands still shows. */
const MIN_VISIBLE = 1.5;

/**
 * One bar per bucket, scaled so the fullest bucket fills the height; an empty bucket has height 0,
 * and failures never exceed the bucket's count even if the agent's numbers disagree.
 */
export function historyBars(histogram: HistoryHistogram): HistoryBar[] {
  const from = new Date(histogram.from).getTime();
  const count = histogram.counts.length;
  const max = Math.max(1, ...histogram.counts);
  const slot = CHART_WIDTH / Math.max(1, count);
  return histogram.counts.map((total, index) => {
    const failed = Math.min(total, histogram.failures[index] ?? 0);
    const height = total === 0 ? 0 : Math.max(MIN_VISIBLE, (total / max) * CHART_HEIGHT);
    const failedHeight = total === 0 ? 0 : (failed / total) * height;
    return {
      index,
      since: new Date(from + index * histogram.bucketMs).toISOString(),
      until: new Date(from + (index + 1) * histogram.bucketMs).toISOString(),
      total,
      failed,
      x: index * slot + slot * 0.1,
      width: slot * 0.8,
      successHeight: height - failedHeight,
      failedHeight,
    };
  });
}

/** "12,345 events from <start> to <end>, 12 failed or denied; the busiest period, <time>, had 900." */
export function historyChartSummary(histogram: HistoryHistogram, format: (iso: string) => string): string {
  const total = histogram.counts.reduce((sum, n) => sum + n, 0);
  const failed = histogram.failures.reduce((sum, n) => sum + n, 0);
  const from = new Date(histogram.from).getTime();
  const end = new Date(from + histogram.counts.length * histogram.bucketMs).toISOString();
  const range = `from ${format(histogram.from)} to ${format(end)}`;
  if (total === 0) return `No events ${range}.`;
  const busiest = histogram.counts.indexOf(Math.max(...histogram.counts));
  const busiestAt = format(new Date(from + busiest * histogram.bucketMs).toISOString());
  return `${total.toLocaleString()} events ${range}, ${failed.toLocaleString()} failed or denied; the busiest period, from ${busiestAt}, had ${histogram.counts[busiest]!.toLocaleString()}.`;
}

