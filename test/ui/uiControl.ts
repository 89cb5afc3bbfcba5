// What UI tests prepare outside the page: calls to the session's agent over its control API, and an S3 client of its embedded store.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { callAgent } from '../../main/agent/control/controlClient.js';
import { PASSPHRASE } from '../support/agentDevice.js';
import { runCoffer } from '../support/cofferCli.js';
import type { Channel, RequestOf, ResponseOf } from '../../preload/contract.js';
import type { UiSession } from './uiSession.js';

/** Calls `channel` on the session's agent (its current address and token, so it follows restarts); throws AgentCallError on a refusal. */
export function callSessionAgent<C extends Channel>(ui: UiSession, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const token = readFileSync(join(ui.dataDir, 'agent.token'), 'utf8').trim();
  return callAgent({ apiUrl: new URL(ui.uiUrl).origin, token }, channel, request);
}

/** The embedded store's HTTPS endpoint, CA certificate and credentials, as another device would use them. */
export function embeddedStoreAccess(ui: UiSession): { httpsUrl: string; caCertPem: string; accessKeyId: string; secretAccessKey: string } {
  const banner = ui.agent.stdout.find((line) => line.includes('Embedded store:'));
  const httpsUrl = banner?.trim().split(/\s+/).find((word) => word.startsWith('https://'));
  if (!httpsUrl) throw new Error(`the agent printed no HTTPS store endpoint:\n${ui.agent.output()}`);
  const credentials = JSON.parse(readFileSync(join(ui.dataDir, 'store', 'credentials.json'), 'utf8')) as { accessKeyId: string; secretAccessKey: string };
  return { httpsUrl, caCertPem: readFileSync(join(ui.dataDir, 'store', 'tls', 'cert.pem'), 'utf8'), ...credentials };
}

/** An AWS SDK client of the session's embedded store over HTTPS (the caller destroys it). */
export function embeddedStoreClient(ui: UiSession): S3Client {
  const access = embeddedStoreAccess(ui);
  return new S3Client({
    endpoint: access.httpsUrl,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: access.accessKeyId, secretAccessKey: access.secretAccessKey },
    requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: access.caCertPem }) }),
  });
}

/**
 * Makes the session's vault with `coffer vault init`, as a user of the CLI would, with the agent
 * stopped; `beforeRestart` runs then too (e.g. to seed files the agent holds open). The agent
 * starts again unlocked from COFFER_PASSPHRASE.
 */
export async function initVaultWithCli(ui: UiSession, beforeRestart?: () => Promise<void>): Promise<void> {
  await ui.agent.stop();
  const init = await runCoffer(['vault', 'init', '--data-dir', ui.dataDir], { COFFER_PASSPHRASE: PASSPHRASE });
  if (init.code !== 0) throw new Error(`coffer vault init exited ${init.code}: ${init.stderr}`);
  await beforeRestart?.();
  await ui.restartAgent({ COFFER_PASSPHRASE: PASSPHRASE });
}
