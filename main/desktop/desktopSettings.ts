// The desktop app's settings: config.json in the data dir (shared with the agent and the browser UI), with the older desktop.json read for a user who has one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppSettings, ContractHandlers } from '../../preload/contract.js';
import { loadAgentConfigKeys, type AgentConfigKeys } from '../agent/runtime/agentConfig.js';

/** Where earlier versions kept the desktop's one setting; read only when config.json does not say. */
export const DESKTOP_SETTINGS_FILE = 'desktop.json';

const legacySchema = z
  .object({
    /** Keep the vault passphrase sealed by the OS key store and unlock with it at start. */
    rememberUnlock: z.boolean().default(false),
  })
  .strict();

export type DesktopSettings = z.infer<typeof legacySchema>;

/** desktop.json's settings; the defaults when the file is missing, unreadable or invalid (the app must still start). */
export function readDesktopSettings(dataDir: string): DesktopSettings {
  try {
    return legacySchema.parse(JSON.parse(readFileSync(join(dataDir, DESKTOP_SETTINGS_FILE), 'utf8')));
  } catch {
    return legacySchema.parse({});
  }
}

/** config.json's own keys; none when it is missing or no longer parses (the agent says why where it matters). */
function configKeys(dataDir: string): AgentConfigKeys {
  try {
    return loadAgentConfigKeys(dataDir);
  } catch {
    return {};
  }
}

/** Whether to remember the vault unlock: config.json's rememberUnlock when it sets one, else desktop.json's, else false. Never throws. */
export function rememberUnlockSetting(dataDir: string): boolean {
  return configKeys(dataDir).rememberUnlock ?? readDesktopSettings(dataDir).rememberUnlock;
}

/**
 * Carries desktop.json's rememberUnlock into config.json through the agent's settings.set, once:
 * only when desktop.json turns it on and config.json does not set it, so every UI then shows what
 * the app does. Resolves true when it saved; rejects with settings.set's error.
 */
export async function adoptDesktopSettings(dataDir: string, handlers: Pick<ContractHandlers, 'settings.set'>): Promise<boolean> {
  if (configKeys(dataDir).rememberUnlock !== undefined || !readDesktopSettings(dataDir).rememberUnlock) return false;
  await handlers['settings.set']({ rememberUnlock: true });
  return true;
}

/**
 * The handlers with 'settings.set' also handing the settings now in force to `apply` (the login
 * item, the theme, forgetting a remembered unlock). The answer is settings.set's; a failure in
 * `apply` goes to `onFailure` and does not fail the call, whose settings are saved already.
 */
export function applyingSettings(handlers: ContractHandlers, apply: (settings: AppSettings) => void, onFailure: (err: unknown) => void): ContractHandlers {
  return {
    ...handlers,
    'settings.set': async (request) => {
      const settings = await handlers['settings.set'](request);
      try {
        apply(settings);
      } catch (err) {
        onFailure(err);
      }
      return settings;
    },
  };
}
