// The embedded KMS for the UI: list keys, create, rotate, enable and disable them, schedule their deletion, and weigh the impact.
import type { ContractHandlers } from '../../../preload/contract.js';
import { KmsError, type KmsActor, type LocalKms } from '../../core/keys/kms/index.js';
import type { StoreServices } from '../../core/store/storeServices.js';
import { ApiError } from '../control/apiError.js';
import { embeddedServices } from '../keys/embeddedStore.js';
import type { Agent } from '../runtime/agent.js';
import { kmsKeyImpact } from './kmsImpact.js';
import { describeKmsKey, listKmsKeys } from './kmsKeyInfo.js';

export type KmsChannel =
  | 'kms.list'
  | 'kms.create'
  | 'kms.rotate'
  | 'kms.setRotation'
  | 'kms.impact'
  | 'kms.disable'
  | 'kms.enable'
  | 'kms.scheduleDeletion'
  | 'kms.cancelDeletion';

/** How the access history names calls from the UI (the CLI's are `coffer-cli`). */
export const UI_USER_AGENT = 'coffer-ui';

/** The UI acts as the device the agent runs on: that is who the access history names. */
function uiActor(agent: Agent): KmsActor {
  return { principal: agent.config.deviceName, userAgent: UI_USER_AGENT };
}

/** `alias/` is the prefix every alias name carries; a bare name typed in the UI gets it. */
function aliasNameOf(alias: string | undefined): string | undefined {
  if (alias === undefined) return undefined;
  return alias.startsWith('alias/') ? alias : `alias/${alias}`;
}

/**
 * Runs one call against the embedded KMS. Deletions whose window ended and due rotations are done
 * first (the store otherwise does them hourly), so what the UI shows is current; a failure there
 * is logged and does not stop the call. KmsErrors become ApiErrors with the AWS exception name as
 * code and AWS's text as message: ids, ARNs and alias names only, never key material.
 */
function withKms<T>(agent: Agent, use: (kms: LocalKms, services: StoreServices) => T): T {
  const services = embeddedServices(agent);
  try {
    services.kms.runDueWork(new Date());
  } catch (err) {
    agent.logger.warn({ reason: err instanceof Error ? err.message : String(err) }, 'KMS scheduled work failed');
  }
  try {
    return use(services.kms, services);
  } catch (err) {
    if (err instanceof KmsError) throw new ApiError(err.code, err.message);
    throw err;
  }
}

/**
 * Every channel answers ApiError NoEmbeddedStore on an agent without an embedded store. A change
 * is made as the device (uiActor), so the KMS records it, failures included, and answers the
 * key's KmsKeyInfo after the change. AWS managed keys (aws/s3) refuse every change with
 * AccessDeniedException, as AWS's own managed-key policy does.
 */
export function kmsHandlers(agent: Agent): Pick<ContractHandlers, KmsChannel> {
  const actor = (): KmsActor => uiActor(agent);
  /** Applies `change` to the key and describes it afterwards by the same identifier. */
  const changeKey = (keyId: string, change: (kms: LocalKms) => void) =>
    withKms(agent, (kms) => {
      change(kms);
      return describeKmsKey(kms, keyId);
    });
  return {
    'kms.list': async () => withKms(agent, (kms) => listKmsKeys(kms)),
    'kms.create': async ({ alias, description }) =>
      withKms(agent, (kms) => {
        const key = kms.createKey({ description, alias: aliasNameOf(alias) }, actor());
        return describeKmsKey(kms, key.keyId);
      }),
    'kms.rotate': async ({ keyId }) => changeKey(keyId, (kms) => void kms.rotateKeyOnDemand({ keyId }, actor())),
    'kms.setRotation': async ({ keyId, enabled, periodDays }) => {
      if (!enabled && periodDays !== undefined) throw new ApiError('InvalidRequest', 'periodDays applies only when enabling rotation');
      return changeKey(keyId, (kms) => {
        if (enabled) kms.enableKeyRotation({ keyId, rotationPeriodInDays: periodDays }, actor());
        else kms.disableKeyRotation({ keyId }, actor());
      });
    },
    'kms.impact': async ({ keyId }) =>
      withKms(agent, (kms, services) =>
        kmsKeyImpact(
          kms,
          services.meta,
          [...agent.folders.values()].map((entry) => entry.settings),
          keyId,
        ),
      ),
    'kms.disable': async ({ keyId }) => changeKey(keyId, (kms) => kms.disableKey({ keyId }, actor())),
    'kms.enable': async ({ keyId }) => changeKey(keyId, (kms) => kms.enableKey({ keyId }, actor())),
    'kms.scheduleDeletion': async ({ keyId, pendingWindowDays }) =>
      changeKey(keyId, (kms) => void kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: pendingWindowDays }, actor())),
    'kms.cancelDeletion': async ({ keyId }) => changeKey(keyId, (kms) => void kms.cancelKeyDeletion({ keyId }, actor())),
  };
}
