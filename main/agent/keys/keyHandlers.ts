// The embedded store's SSE-S3 master key versions and their rotation, and the embedded KMS's keys, for the UI.
import type { ContractHandlers } from '../../../preload/contract.js';
import { kmsHandlers, type KmsChannel } from '../kms/kmsHandlers.js';
import type { Agent } from '../runtime/agent.js';
import { storeKeyHandlers } from './storeKeyHandlers.js';

type KeyChannels = 'keys.store' | 'keys.rotateStore' | KmsChannel;

/** Every channel here answers ApiError NoEmbeddedStore when the agent runs no embedded store. */
export function keyHandlers(agent: Agent): Pick<ContractHandlers, KeyChannels> {
  return { ...storeKeyHandlers(agent), ...kmsHandlers(agent) };
}
