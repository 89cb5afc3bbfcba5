// The access history view over 100 000 real events: pages, filters, search, chart, detail, export, and verification before and after tampering.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_DB_FILE } from '../../main/core/audit/auditDatabase.js';
import { PASSPHRASE } from '../support/agentDevice.js';
import { tamper } from '../core/audit/helpers.js';
import { NEEDLE_KEY, seededEvent, seedHistory } from './historySeed.js';
import { initVaultWithCli } from './uiControl.js';
import { openUiSession, type UiSession } from './uiSession.js';

const SEEDED = 100_000;
const PAGE = 100;
/** The seeded event whose stored row the last test edits. */
const TAMPERED_INDEX = 60_000;

/** Evaluated in the page (a string: this file is compiled without the DOM's types): nothing wider than the window. */
const NO_PAGE_OVERFLOW = 'document.documentElement.scrollWidth <= document.documentElement.clientWidth';

let ui: UiSession;

function until<T>(read: () => Promise<T>, expected: T): Promise<void> {
  return expect.poll(read, { timeout: 30_000, interval: 100 }).toEqual(expected);
}

/** How many seeded events match, counted from the generator itself (the agent's own events are never DeleteObject). */
function seededMatching(match: (event: ReturnType<typeof seededEvent>) => boolean): number {
  let n = 0;
  for (let i = 1; i <= SEEDED; i += 1) if (match(seededEvent(i, SEEDED, 0))) n += 1;
  return n;
}

const rows = (page: Page) => page.getByRole('table', { name: 'Events' }).locator('tbody tr');
const column = (page: Page, n: number) => page.getByRole('table', { name: 'Events' }).locator(`tbody tr td:nth-child(${n})`).allInnerTexts();
const seqs = async (page: Page) => (await column(page, 1)).map((text) => Number.parseInt(text, 10));
const pageText = (page: Page) => page.getByRole('group', { name: 'Pages' }).locator('span').innerText();

beforeAll(async () => {
  ui = await openUiSession('history');
  // The first start made the store's root key and audit.db; the seed goes in while no agent holds the file.
  await initVaultWithCli(ui, () => seedHistory(ui.dataDir, SEEDED));
}, 60_000);
afterAll(async () => ui?.close());

// Every step ends without a console error or an uncaught exception in the page (CSP violations included).
afterEach(() => {
  expect(ui.pageErrors).toEqual([]);
});

describe('the access history view', () => {
  it('pages through 100 000 events 100 at a time, newest first, without repeating a row', async () => {
    const { page } = ui;
    await page.getByRole('link', { name: 'Access history' }).click();
    await until(() => rows(page).count(), PAGE);
    const first = await seqs(page);
    expect(first).toEqual([...first].sort((a, b) => b - a));
    await until(async () => (await pageText(page)).startsWith('Events 1–100 of '), true);
    await ui.screenshot('1-first-page');

    await page.getByRole('button', { name: 'Older' }).click();
    await until(async () => (await seqs(page))[0]! < first.at(-1)!, true);
    const second = await seqs(page);
    expect(second).toHaveLength(PAGE);
    expect(second.filter((seq) => first.includes(seq))).toEqual([]);
    expect(second[0]).toBe(first.at(-1)! - 1);
    await page.getByText('Events 101–200 of').waitFor();

    await page.getByRole('button', { name: 'Newer' }).click();
    await until(() => seqs(page), first);

    // At 700 px the table scrolls inside its own box; the page itself does not.
    await page.setViewportSize({ width: 700, height: 900 });
    expect(await page.evaluate(NO_PAGE_OVERFLOW)).toBe(true);
    await ui.screenshot('1b-narrow');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('narrows by operation and then by outcome, keeps the filter in the address, and exports exactly the matching events', async () => {
    const { page } = ui;
    const deletes = seededMatching((e) => e.operation === 'DeleteObject');
    await page.getByLabel('Operation').fill('DeleteObject');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await until(async () => new Set(await column(page, 4)).size === 1 && (await column(page, 4))[0] === 'DeleteObject', true);
    await until(async () => (await pageText(page)).includes(`of ${deletes.toLocaleString('en-US')} matching`), true);
    expect(new URL(page.url()).hash).toBe('#/history?op=DeleteObject');

    // A reload keeps the view: the filter comes back from the address.
    await page.reload();
    await until(() => page.getByLabel('Operation').inputValue(), 'DeleteObject');
    await until(async () => (await column(page, 4)).every((op) => op === 'DeleteObject') && (await rows(page).count()) === PAGE, true);

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 45_000 }), page.getByRole('button', { name: 'Export JSON lines' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^coffer-history-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const lines = readFileSync((await download.path())!, 'utf8').split('\n').filter((line) => line.length > 0);
    expect(lines).toHaveLength(deletes);
    expect(lines.every((line) => (JSON.parse(line) as { eventName: string }).eventName === 'DeleteObject')).toBe(true);
    await page.getByText(`Exported ${deletes.toLocaleString('en-US')} events to`).waitFor();
    await ui.screenshot('2-filtered-exported');

    const failedDeletes = seededMatching((e) => e.operation === 'DeleteObject' && e.outcome === 'failure');
    await page.getByLabel('Outcome').selectOption('failure');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await until(async () => (await pageText(page)).includes(`of ${failedDeletes.toLocaleString('en-US')} matching`), true);
    await until(async () => (await column(page, 5)).every((outcome) => outcome.endsWith('failure')) && (await column(page, 4)).every((op) => op === 'DeleteObject'), true);
    expect(await rows(page).count()).toBe(PAGE);
    expect(new URL(page.url()).hash).toBe('#/history?op=DeleteObject&outcome=failure');
    await ui.screenshot('3-operation-and-outcome');
  });

  it('finds one object key by search, shows the chart, opens an event in full, and a bar narrows the range', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await until(() => rows(page).count(), PAGE);
    await page.getByLabel('Search').fill('needle-quarterly');
    await until(async () => (await column(page, 7)).join('|'), `docs/${NEEDLE_KEY}`);

    await rows(page).first().click();
    const detail = page.getByRole('dialog', { name: /^Event \d+: / });
    await detail.waitFor();
    const detailText = await detail.innerText();
    expect(detailText).toContain(NEEDLE_KEY);
    expect(detailText).toMatch(/Chain hash\s+[0-9a-f]{64}/);
    expect(JSON.parse(await detail.locator('pre').innerText())).toEqual({ attempt: 1, seedIndex: 54_321 });
    await ui.screenshot('4-event-detail');
    await detail.getByRole('button', { name: 'Close' }).click();
    await detail.waitFor({ state: 'hidden' });

    // Enter on a row's button opens it too.
    await rows(page).first().getByRole('button').press('Enter');
    await detail.waitFor();
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });

    await page.getByLabel('Search').fill('');
    await page.getByRole('button', { name: 'All time' }).click();
    await until(() => rows(page).count(), PAGE);
    const bars = page.getByRole('button', { name: /failed or denied\. Show only this period$/ });
    await until(async () => (await bars.count()) > 10, true);
    const chart = page.getByRole('group', { name: /^Events over time/ });
    expect(await chart.getAttribute('aria-labelledby')).toBeTruthy();
    await ui.screenshot('5-chart');
    const label = (await bars.nth(5).getAttribute('aria-label'))!;
    const inBar = Number(/: ([\d,]+) events/.exec(label)![1]!.replaceAll(',', ''));
    await bars.nth(5).click();
    await until(async () => (await pageText(page)).includes(`of ${inBar.toLocaleString('en-US')} matching`), true);
    expect(new URL(page.url()).hash).toMatch(/since=.*until=/);
    await ui.screenshot('6-narrowed-to-bar');
  });

  it('verifies the chain as intact, then reports the first bad event after one row is edited on disk', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    const verdict = page.getByRole('status').filter({ hasText: /Verified|Broken/ });
    await verdict.waitFor({ timeout: 30_000 });
    const intact = /Verified: ([\d,]+) events, chain intact/.exec(await verdict.innerText());
    expect(intact).not.toBeNull();
    expect(Number(intact![1]!.replaceAll(',', ''))).toBeGreaterThanOrEqual(SEEDED);
    await ui.screenshot('7-verified');

    await ui.agent.stop();
    let tamperedSeq = 0;
    tamper(join(ui.dataDir, 'store', AUDIT_DB_FILE), (db) => {
      const row = db.prepare("SELECT seq, event_json FROM events WHERE json_extract(event_json, '$.requestId') = ?").get(`seed-${TAMPERED_INDEX}`) as { seq: number; event_json: string };
      tamperedSeq = row.seq;
      db.prepare('UPDATE events SET event_json = ? WHERE seq = ?').run(row.event_json.replace('AKIASEED0', 'AKIAFORGED'), row.seq);
    });
    expect(tamperedSeq).toBeGreaterThan(0);
    await ui.restartAgent({ COFFER_PASSPHRASE: PASSPHRASE });
    await page.getByRole('link', { name: 'Access history' }).click();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText(new RegExp(`Broken at event ${tamperedSeq}: `)).waitFor({ timeout: 30_000 });
    await ui.screenshot('8-broken');
    expect(ui.pageErrors).toEqual([]);
  });
});
