// A real agent (its own data dir, embedded store, control API serving the built UI) and Debian's Chromium driving that UI.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AGENT_READY } from '../support/agentDevice.js';
import { REPO_ROOT, spawnCoffer, type StoreProcess } from '../support/storeProcess.js';

/** Where screenshots go (gitignored): one PNG per named step, for a person to look at after a run. */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test', 'artifacts');
const CHROMIUM = process.env.COFFER_CHROMIUM ?? '/usr/bin/chromium';
const UI_URL_LABEL = 'Open Coffer in a browser on this machine: ';

export interface UiSession {
  readonly base: string;
  readonly dataDir: string;
  /** A folder the test may sync (created, empty). */
  readonly folder: string;
  readonly agent: StoreProcess;
  /** The address `coffer agent` printed, token included. */
  readonly uiUrl: string;
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors and uncaught exceptions of the page (CSP violations show here). */
  readonly pageErrors: string[];
  screenshot(name: string): Promise<void>;
  /** Stops the agent (Ctrl-C) and starts it again on the same data dir; the page reloads the new address. */
  restartAgent(env?: NodeJS.ProcessEnv): Promise<void>;
  close(): Promise<void>;
}

export interface UiSessionOptions {
  /** The agent's config.json (watcher on, a quick remote poll and quiet time by default). */
  config?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  viewport?: { width: number; height: number };
}

async function startAgent(dataDir: string, env: NodeJS.ProcessEnv): Promise<{ agent: StoreProcess; uiUrl: string }> {
  const agent = await spawnCoffer(['agent', '--data-dir', dataDir, '--store-port', '0', '--store-https-port', '0', '--log-level', 'warn'], AGENT_READY, {
    COFFER_PASSPHRASE: undefined,
    COFFER_STORE_ROOT_KEY: undefined,
    COFFER_ACCESS_KEY: undefined,
    COFFER_SECRET_KEY: undefined,
    ...env,
  });
  const line = agent.stdout.find((l) => l.includes(UI_URL_LABEL));
  if (!line) throw new Error(`coffer agent printed no UI address:\n${agent.output()}`);
  return { agent, uiUrl: line.split(UI_URL_LABEL)[1]!.trim() };
}

export async function openUiSession(name: string, options: UiSessionOptions = {}): Promise<UiSession> {
  const base = mkdtempSync(join(tmpdir(), `coffer-ui-${name}-`));
  const dataDir = join(base, 'data');
  const folder = join(base, 'folder');
  mkdirSync(dataDir);
  mkdirSync(folder);
  const config = { deviceName: `ui-${name}`, watch: true, quietMs: 100, remotePollSeconds: 2, ...options.config };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config, null, 2));
  const env = options.env ?? {};
  let { agent, uiUrl } = await startAgent(dataDir, env);
  // Root on CI: Chromium's own sandbox needs a user namespace it may not get there.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 }, colorScheme: 'light' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  // An agent's refusal answers 4xx, which the console reports as a failed load: the UI shows those itself.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(uiUrl);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    base,
    dataDir,
    folder,
    get agent() {
      return agent;
    },
    get uiUrl() {
      return uiUrl;
    },
    browser,
    page,
    pageErrors,
    async screenshot(shot) {
      await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}-${shot}.png`), fullPage: true });
    },
    async restartAgent(extraEnv = {}) {
      await agent.stop();
      ({ agent, uiUrl } = await startAgent(dataDir, { ...env, ...extraEnv }));
      await page.goto(uiUrl);
    },
    async close() {
      await browser.close().catch(() => undefined);
      await agent.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
