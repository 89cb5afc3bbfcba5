// Every screen checked by axe-core in Chromium (WCAG 2.1 A and AA: labels, roles, names, contrast), in light and dark.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSessionAgent } from './uiControl.js';
import { openUiSession, type UiSession } from './uiSession.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWS = ['folders', 'keys', 'history', 'conflicts', 'settings'] as const;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let ui: UiSession;

/**
 * axe's findings on the page as it is now. Its source is evaluated through the DevTools protocol,
 * which the page's Content Security Policy does not govern, so the policy stays as users get it.
 */
async function audit(): Promise<string[]> {
  await ui.page.evaluate(AXE_SOURCE);
  const violations = (await ui.page.evaluate(
    'axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }).then((r) => r.violations)',
  )) as AxeViolation[];
  return violations.map((v) => `${v.impact ?? 'unknown'} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

beforeAll(async () => {
  ui = await openUiSession('a11y', { config: { remotePollSeconds: 3600 } });
});
afterAll(async () => ui?.close());

describe('accessibility', () => {
  it('the first-run screen has no WCAG A/AA violations', async () => {
    await ui.page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await audit()).toEqual([]);
  });

  it('finds what it is meant to find: an unlabelled field and faint text are reported', async () => {
    await ui.page.evaluate(`(() => {
      const field = document.createElement('input');
      field.id = 'axe-probe-field';
      const faint = document.createElement('p');
      faint.id = 'axe-probe-text';
      faint.textContent = 'hard to read';
      faint.style.color = '#d8d8d8';
      document.body.append(field, faint);
    })()`);
    const found = (await audit()).join('\n');
    expect(found).toMatch(/label.*#axe-probe-field/);
    expect(found).toMatch(/color-contrast.*#axe-probe-text/);
    await ui.page.reload();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`every view has no WCAG A/AA violations in the ${scheme} scheme`, async () => {
      const status = await callSessionAgent(ui, 'status.get', {});
      if (!status.vault.exists) {
        await callSessionAgent(ui, 'vault.create', { passphrase: 'accessibility test passphrase' });
        writeFileSync(join(ui.folder, 'a.txt'), 'a file');
        await callSessionAgent(ui, 'folders.add', { localPath: ui.folder });
      }
      await ui.page.emulateMedia({ colorScheme: scheme });
      for (const view of VIEWS) {
        await ui.page.goto(`${new URL(ui.uiUrl).origin}/#/${view}`);
        await ui.page.getByRole('navigation', { name: 'Sections' }).waitFor();
        await ui.page.locator('main h1').first().waitFor();
        // Let each view's first answers arrive, so the audit sees the filled screen.
        await ui.page.waitForLoadState('networkidle');
        expect(await audit(), `${view} (${scheme})`).toEqual([]);
      }
      await ui.screenshot(`${scheme}-settings`);
      expect(ui.pageErrors).toEqual([]);
    });
  }
});
