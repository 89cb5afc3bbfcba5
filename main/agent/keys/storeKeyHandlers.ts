// The embedded store's SSE-S3 master key for the UI: its versions, its rotation schedule, and rotation on demand.
import type { ContractHandlers, StoreKeysInfo } from '../../../preload/contract.js';
import { masterKeyRotationEvent } from '../../core/keys/keyEvents.js';
import type { MasterKeyVersion } from '../../core/keys/storeKeyring.js';
import type { Agent } from '../runtime/agent.js';
import { embeddedServices } from './embeddedStore.js';

const DAY_MS = 86_400_000;

/**
 * The versions oldest first, the newest marked current. The store checks at start and then daily
 * whether the newest version is older than the period (storeServer.ts), so the rotation falls due
 * `rotationDays` after the newest version was made; that time may already have passed when the
 * daily check has not run since. No period (undefined or 0): rotation is manual, no due time.
 */
export function describeStoreKeys(versions: readonly MasterKeyVersion[], rotationDays: number | undefined): StoreKeysInfo {
  const newest = versions.at(-1);
  const info: StoreKeysInfo = {
    versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString(), current: v === newest })),
  };
  if (rotationDays !== undefined && rotationDays > 0) {
    info.rotationPeriodDays = rotationDays;
    if (newest) info.nextRotationAt = new Date(newest.createdAt.getTime() + rotationDays * DAY_MS).toISOString();
  }
  return info;
}

/**
 * keys.store and keys.rotateStore. Both answer ApiError NoEmbeddedStore on an agent without an
 * embedded store. A rotation adds a version at once (new objects use it; older ones keep theirs)
 * and is recorded in the access history like `coffer store rotate-master-key`, in the device's name.
 */
export function storeKeyHandlers(agent: Agent): Pick<ContractHandlers, 'keys.store' | 'keys.rotateStore'> {
  return {
    'keys.store': async () => {
      const services = embeddedServices(agent);
      return describeStoreKeys(services.keyring.list(), services.options.masterKeyRotationDays);
    },
    'keys.rotateStore': async () => {
      const services = embeddedServices(agent);
      const version = services.keyring.rotate();
      agent.audit.record(masterKeyRotationEvent(version, agent.config.deviceName));
      return { version };
    },
  };
}
