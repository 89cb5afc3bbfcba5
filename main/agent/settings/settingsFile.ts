// The user's settings as config.json holds them: read out of the agent's config, and saved back into the file.
import { join } from 'node:path';
import type { AppSettings } from '../../../preload/contract.js';
import { systemRandom, type RandomSource } from '../../core/crypto/random.js';
import { ApiError } from '../control/apiError.js';
import { agentConfigSchema, CONFIG_FILE, ConfigError, loadAgentConfigKeys, type AgentConfig, type AgentConfigKeys } from '../runtime/agentConfig.js';
import { writeFileAtomic } from '../../core/files/atomicFile.js';

/** config.json is private to its owner, as the rest of the data dir. */
const CONFIG_MODE = 0o600;

/** The settings part of an agent config. */
export function settingsOf(config: AgentConfig): AppSettings {
  return {
    uploadKiBps: config.uploadKiBps,
    downloadKiBps: config.downloadKiBps,
    startAtLogin: config.startAtLogin,
    notifications: config.notifications,
    lockAfterIdleMinutes: config.lockAfterIdleMinutes,
    rememberUnlock: config.rememberUnlock,
    theme: config.theme,
  };
}

/**
 * Merges `change` into the keys config.json already sets (every other key is kept as written, and
 * defaults are not pinned into the file), checks the result against the config schema, and writes
 * it atomically as indented JSON, mode 0600. Returns the whole config the file now gives. Absent
 * or undefined fields of `change` leave their key alone. ApiError ConfigInvalid when config.json
 * no longer parses (it is left as it is); InvalidSettings, naming the field, when the merged config
 * is refused (nothing is written).
 */
export function saveSettings(dataDir: string, change: Partial<AppSettings>, random: RandomSource = systemRandom): AgentConfig {
  let keys: AgentConfigKeys;
  try {
    keys = loadAgentConfigKeys(dataDir);
  } catch (err) {
    if (err instanceof ConfigError) throw new ApiError('ConfigInvalid', `${err.message}; fix the file, then save the settings again`);
    throw err;
  }
  const merged: Record<string, unknown> = { ...keys };
  for (const [key, value] of Object.entries(change)) if (value !== undefined) merged[key] = value;
  const parsed = agentConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError('InvalidSettings', `${issue.path.join('.') || 'settings'}: ${issue.message}`);
  }
  writeFileAtomic(join(dataDir, CONFIG_FILE), `${JSON.stringify(merged, null, 2)}\n`, CONFIG_MODE, random);
  return parsed.data;
}
