// The desktop app's own preferences (desktop.json in the data dir), apart from the agent's config.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const DESKTOP_SETTINGS_FILE = 'desktop.json';

const schema = z
  .object({
    /** Keep the vault passphrase sealed by the OS key store and unlock with it at start. */
    rememberUnlock: z.boolean().default(false),
  })
  .strict();

export type DesktopSettings = z.infer<typeof schema>;

/** The settings in `dataDir`; the defaults when the file is missing, unreadable or invalid (the app must still start). */
export function readDesktopSettings(dataDir: string): DesktopSettings {
  try {
    return schema.parse(JSON.parse(readFileSync(join(dataDir, DESKTOP_SETTINGS_FILE), 'utf8')));
  } catch {
    return schema.parse({});
  }
}
