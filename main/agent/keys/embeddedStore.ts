// The embedded store's services for a key or KMS call, or the typed refusal when the agent runs no embedded store.
import type { StoreServices } from '../../core/store/storeServices.js';
import { ApiError } from '../control/apiError.js';
import type { Agent } from '../runtime/agent.js';

/**
 * The services of the store this agent embeds. An agent whose folders all sync with remote stores
 * starts none, and then has no SSE-S3 master key and no KMS of its own to show or change:
 * ApiError NoEmbeddedStore.
 */
export function embeddedServices(agent: Agent): StoreServices {
  const services = agent.store?.running.services;
  if (!services) {
    throw new ApiError('NoEmbeddedStore', 'this agent runs no embedded store (every folder syncs with a remote store), so it has no store or KMS keys to manage');
  }
  return services;
}
