// What `npm start` runs: the desktop app when an Electron binary and a display are there, else the headless agent.
import { join } from 'node:path';

export interface StartFacts {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The installed electron package's folder; undefined when the package is not installed. */
  electronDir: string | undefined;
  /** The trimmed contents of electron's path.txt, written only when its binary was downloaded. */
  electronPathTxt: string | undefined;
  /** Whether a file exists (the Electron binary). */
  exists: (path: string) => boolean;
  /** The app folder (package.json with "main"), the node binary and bin/coffer.js, for the two commands. */
  appDir: string;
  nodePath: string;
  cofferBin: string;
  dataDir: string;
}

export type StartPlan =
  | { kind: 'electron'; command: string; args: string[] }
  | { kind: 'headless'; reason: string; command: string; args: string[] };

/** Where the electron package keeps its binary: as its own index.js computes it, without ever downloading. */
export function electronBinaryPath(electronDir: string, pathTxt: string | undefined, overrideDistPath: string | undefined): string | undefined {
  if (overrideDistPath) return join(overrideDistPath, pathTxt || 'electron');
  return pathTxt ? join(electronDir, 'dist', pathTxt) : undefined;
}

function whyNotElectron(facts: StartFacts): string | undefined {
  if (facts.env.COFFER_HEADLESS === '1') return 'COFFER_HEADLESS=1 asks for the headless agent';
  if (!facts.electronDir) return 'the electron package is not installed (it is a devDependency: npm install --include=dev)';
  const binary = electronBinaryPath(facts.electronDir, facts.electronPathTxt, facts.env.ELECTRON_OVERRIDE_DIST_PATH);
  if (!binary) return "the Electron binary was never downloaded (node_modules/electron/path.txt is missing: electron's install step fetches it and needs the network)";
  if (!facts.exists(binary)) return `the Electron binary is missing at ${binary}`;
  if (facts.platform === 'linux' && !facts.env.DISPLAY && !facts.env.WAYLAND_DISPLAY) return 'there is no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)';
  return undefined;
}

/**
 * The command to run. The desktop app: the Electron binary with the app folder and --data-dir. The
 * headless agent (`coffer agent --data-dir …`) otherwise, with a reason that fits in one line:
 * COFFER_HEADLESS=1, no electron package, a binary never downloaded or missing, or (Linux) no display.
 */
export function planStart(facts: StartFacts): StartPlan {
  const reason = whyNotElectron(facts);
  if (reason === undefined) {
    const binary = electronBinaryPath(facts.electronDir!, facts.electronPathTxt, facts.env.ELECTRON_OVERRIDE_DIST_PATH)!;
    return { kind: 'electron', command: binary, args: [facts.appDir, '--data-dir', facts.dataDir] };
  }
  return { kind: 'headless', reason, command: facts.nodePath, args: [facts.cofferBin, 'agent', '--data-dir', facts.dataDir] };
}

/** The one line `npm start` prints before it falls back to the headless agent. */
export function headlessNotice(reason: string): string {
  return `Coffer: not opening the desktop app because ${reason}; running the headless agent instead: open the browser address it prints below.`;
}
