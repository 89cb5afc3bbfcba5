// `npm start` opens the desktop app only when an Electron binary and a display exist; otherwise it says why and runs the agent.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_READY_LINE } from '../../main/agent/runtime/agentCommand.js';
import { electronBinaryPath, headlessNotice, planStart, type StartFacts } from '../../main/desktop/launchPlan.js';

let base: string;
let electronDir: string;
beforeAll(() => {
  // An electron package folder laid out as its installer leaves it: path.txt naming the binary under dist/.
  base = mkdtempSync(join(tmpdir(), 'coffer-launch-'));
  electronDir = join(base, 'node_modules', 'electron');
  mkdirSync(join(electronDir, 'dist'), { recursive: true });
  writeFileSync(join(electronDir, 'dist', 'electron'), '');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

function facts(overrides: Partial<StartFacts> = {}): StartFacts {
  return {
    platform: 'linux',
    env: { DISPLAY: ':0' },
    electronDir,
    electronPathTxt: 'electron',
    exists: existsSync,
    appDir: '/work/main',
    nodePath: '/usr/bin/node',
    cofferBin: '/work/main/bin/coffer.js',
    dataDir: './.coffer-data',
    ...overrides,
  };
}

describe('the start plan', () => {
  it('runs the Electron binary on the app folder when it is installed and there is a display', () => {
    expect(planStart(facts())).toEqual({ kind: 'electron', command: join(electronDir, 'dist', 'electron'), args: ['/work/main', '--data-dir', './.coffer-data'] });
    expect(planStart(facts({ env: { WAYLAND_DISPLAY: 'wayland-0' } })).kind).toBe('electron');
    expect(planStart(facts({ platform: 'darwin', env: {} })).kind).toBe('electron');
  });

  it('falls back to `coffer agent` with the reason when the binary was never downloaded (as offline)', () => {
    const plan = planStart(facts({ electronPathTxt: undefined }));
    expect(plan).toEqual({ kind: 'headless', reason: expect.stringContaining('never downloaded'), command: '/usr/bin/node', args: ['/work/main/bin/coffer.js', 'agent', '--data-dir', './.coffer-data'] });
  });

  it('gives a reason for each other way Electron cannot run', () => {
    const reasons = [
      planStart(facts({ electronDir: undefined })),
      planStart(facts({ electronPathTxt: 'missing-binary' })),
      planStart(facts({ env: {} })),
      planStart(facts({ env: { DISPLAY: ':0', COFFER_HEADLESS: '1' } })),
    ].map((plan) => (plan.kind === 'headless' ? plan.reason : 'electron'));
    expect(reasons[0]).toContain('not installed');
    expect(reasons[1]).toContain('missing at');
    expect(reasons[2]).toContain('no display');
    expect(reasons[3]).toContain('COFFER_HEADLESS');
  });

  it('finds the binary where electron itself looks, honouring ELECTRON_OVERRIDE_DIST_PATH', () => {
    expect(electronBinaryPath('/n/electron', 'Electron.app/Contents/MacOS/Electron', undefined)).toBe('/n/electron/dist/Electron.app/Contents/MacOS/Electron');
    expect(electronBinaryPath('/n/electron', undefined, '/opt/electron')).toBe('/opt/electron/electron');
    expect(electronBinaryPath('/n/electron', undefined, undefined)).toBeUndefined();
  });

  it('says why in exactly one line', () => {
    const plan = planStart(facts({ electronPathTxt: undefined }));
    const line = headlessNotice(plan.kind === 'headless' ? plan.reason : '');
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^Coffer: not opening the desktop app because .*; running the headless agent instead/);
  });
});

describe('npm start after the build (bin/start.js)', () => {
  it('prints one line saying why, then runs the headless agent, which stops cleanly on SIGTERM', async () => {
    const dataDir = join(base, 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ storePort: 0, storeHttpsPort: 0, watch: false }));
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'start.js')], {
      env: { ...process.env, COFFER_HEADLESS: '1', COFFER_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes(AGENT_READY_LINE)) resolve();
      });
      void exited.then(() => reject(new Error(`bin/start.js exited before the agent was ready: ${stderr}`)));
    });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(headlessNotice('COFFER_HEADLESS=1 asks for the headless agent'));
    expect(lines[1]).toBe('Coffer agent');
    expect(stdout).toContain(`Data directory: ${dataDir}`);
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(stdout).toContain('Stopped.');
  });
});
