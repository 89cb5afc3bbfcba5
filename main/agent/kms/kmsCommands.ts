// `coffer kms <subcommand>`: the embedded KMS's administration, with the aws cli's subcommand and flag names.
import type { Command } from 'commander';
import type { AuditSink } from '../../core/audit/auditEvent.js';
import { awsShapes, type LocalKms } from '../../core/keys/kms/index.js';
import { DEFAULT_REGION } from '../../core/store/storeOptions.js';
import { parseCommon, parseDays, requiredText } from './kmsOptions.js';
import { aliasListLines, createdKeyLines, deletionLines, keyLines, keyListLines, rotationListLines, rotationStatusLines } from './kmsOutput.js';
import { CLI_ACTOR, withKms } from './kmsSession.js';

export interface KmsCommandIo {
  out: (line: string) => void;
  /** Receives the admin events of what these commands change (principal `coffer-cli`); default: the data dir's audit.db. */
  audit?: AuditSink;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

/** What a subcommand prints: the AWS response for --json (none for operations AWS answers with an empty body), or lines. */
interface Outcome {
  json?: Record<string, unknown>;
  lines: string[];
}

type Handler = (kms: LocalKms, raw: Record<string, unknown>) => Outcome;

const KEY_ID_HELP = 'key id, key ARN, alias name (alias/…) or alias ARN';
const keyIdOf = (raw: Record<string, unknown>): string => requiredText('--key-id', raw['keyId']);

export function registerKmsCommands(program: Command, io: KmsCommandIo): Command {
  const kms = program
    .command('kms')
    .description('administer the embedded KMS (customer master keys for SSE-KMS); works whether or not the store is running');

  const sub = (name: string, description: string, handler: Handler, extra: (c: Command) => Command = (c) => c): void => {
    const command = kms
      .command(name)
      .description(description)
      .option('--data-dir <dir>', 'the store data directory (required)')
      .option('--region <region>', 'region the keys belong to: the one the store answers as', DEFAULT_REGION)
      .option('--json', 'print the AWS KMS JSON response', false);
    extra(command).action(async (raw: Record<string, unknown>) => {
      const common = parseCommon(raw);
      const session = { dataDir: common.dataDir, region: common.region, audit: io.audit, env: io.env ?? process.env, now: io.now ?? (() => new Date()) };
      const outcome = await withKms(session, (k) => handler(k, raw));
      if (!common.json) for (const line of outcome.lines) io.out(line);
      // The aws cli prints 4-space indented JSON, and nothing at all for an empty response.
      else if (outcome.json) io.out(JSON.stringify(outcome.json, null, 4));
    });
  };
  const withKeyId = (c: Command): Command => c.option('--key-id <key>', `${KEY_ID_HELP} (required)`);

  sub('create-key', 'create a symmetric customer master key, Enabled, rotation off', (k, raw) => {
    const alias = raw['alias'] as string | undefined;
    const key = k.createKey({ description: raw['description'] as string | undefined, alias }, CLI_ACTOR);
    return { json: awsShapes.describeKeyResponse(key), lines: createdKeyLines(key, alias) };
  }, (c) => c.option('--description <text>', 'what the key is for').option('--alias <alias/name>', 'also create this alias for it'));

  sub('describe-key', 'show a key: ARN, state, manager, dates, current key material id', (k, raw) => {
    const key = k.describeKey({ keyId: keyIdOf(raw) });
    return { json: awsShapes.describeKeyResponse(key), lines: keyLines(key) };
  }, withKeyId);

  sub('list-keys', "list this region's keys, customer and AWS managed", (k) => {
    const keys = k.listKeys();
    return { json: awsShapes.listKeysResponse(keys), lines: keyListLines(keys) };
  });

  sub('create-alias', 'give a customer key another name (alias/…)', (k, raw) => {
    const aliasName = requiredText('--alias-name', raw['aliasName']);
    const targetKeyId = requiredText('--target-key-id', raw['targetKeyId']);
    k.createAlias({ aliasName, targetKeyId }, CLI_ACTOR);
    return { lines: [`Alias ${aliasName} now names key ${k.describeKey({ keyId: aliasName }).keyId}.`] };
  }, (c) => c.option('--alias-name <alias/name>', 'the new alias (required)').option('--target-key-id <key>', 'key id or key ARN it names (required)'));

  sub('delete-alias', 'remove an alias; the key it named is untouched', (k, raw) => {
    const aliasName = requiredText('--alias-name', raw['aliasName']);
    k.deleteAlias({ aliasName }, CLI_ACTOR);
    return { lines: [`Deleted alias ${aliasName}.`] };
  }, (c) => c.option('--alias-name <alias/name>', 'the alias to remove (required)'));

  sub('list-aliases', "list this region's aliases, or those of one key", (k, raw) => {
    const aliases = k.listAliases({ keyId: raw['keyId'] as string | undefined });
    return { json: awsShapes.listAliasesResponse(aliases), lines: aliasListLines(aliases) };
  }, (c) => c.option('--key-id <key>', `only the aliases of this key: ${KEY_ID_HELP}`));

  sub('enable-key', 'allow a disabled key to make and open data keys again', (k, raw) => {
    k.enableKey({ keyId: keyIdOf(raw) }, CLI_ACTOR);
    return { lines: [`Key ${k.describeKey({ keyId: keyIdOf(raw) }).arn} is Enabled.`] };
  }, withKeyId);

  sub('disable-key', 'stop a key from making or opening data keys until it is enabled again', (k, raw) => {
    k.disableKey({ keyId: keyIdOf(raw) }, CLI_ACTOR);
    return { lines: [`Key ${k.describeKey({ keyId: keyIdOf(raw) }).arn} is Disabled: objects encrypted under it cannot be read until it is enabled.`] };
  }, withKeyId);

  sub('schedule-key-deletion', 'delete a key, its aliases and key material after a waiting period (unusable at once)', (k, raw) => {
    const scheduled = k.scheduleKeyDeletion({ keyId: keyIdOf(raw), pendingWindowInDays: parseDays('--pending-window-in-days', raw['pendingWindowInDays']) }, CLI_ACTOR);
    return { json: awsShapes.scheduleKeyDeletionResponse(scheduled), lines: deletionLines(scheduled) };
  }, (c) => withKeyId(c).option('--pending-window-in-days <days>', 'waiting period, 7-30 days (default 30)'));

  sub('cancel-key-deletion', 'keep a key that is pending deletion; it becomes Disabled', (k, raw) => {
    const cancelled = k.cancelKeyDeletion({ keyId: keyIdOf(raw) }, CLI_ACTOR);
    return { json: awsShapes.cancelKeyDeletionResponse(cancelled), lines: [`Deletion of ${cancelled.keyId} cancelled; the key is Disabled. To use it again: coffer kms enable-key --key-id ${cancelled.keyId}`] };
  }, withKeyId);

  sub('enable-key-rotation', 'rotate the key material automatically every period (old material keeps decrypting)', (k, raw) => {
    const keyId = keyIdOf(raw);
    k.enableKeyRotation({ keyId, rotationPeriodInDays: parseDays('--rotation-period-in-days', raw['rotationPeriodInDays']) }, CLI_ACTOR);
    return { lines: rotationStatusLines(k.getKeyRotationStatus({ keyId })) };
  }, (c) => withKeyId(c).option('--rotation-period-in-days <days>', 'days between rotations, 90-2560 (default 365)'));

  sub('disable-key-rotation', 'stop automatic rotation of the key material', (k, raw) => {
    k.disableKeyRotation({ keyId: keyIdOf(raw) }, CLI_ACTOR);
    return { lines: rotationStatusLines(k.getKeyRotationStatus({ keyId: keyIdOf(raw) })) };
  }, withKeyId);

  sub('get-key-rotation-status', 'show whether and when the key material rotates', (k, raw) => {
    const status = k.getKeyRotationStatus({ keyId: keyIdOf(raw) });
    return { json: awsShapes.keyRotationStatusResponse(status), lines: rotationStatusLines(status) };
  }, withKeyId);

  sub('rotate-key-on-demand', 'give the key new current key material now (at most 25 times per key)', (k, raw) => {
    const rotated = k.rotateKeyOnDemand({ keyId: keyIdOf(raw) }, CLI_ACTOR);
    return {
      json: awsShapes.rotateKeyOnDemandResponse(rotated),
      lines: [`Key ${rotated.keyId} rotated: new key material ${rotated.keyMaterialId}. Older material stays to decrypt existing data.`],
    };
  }, withKeyId);

  sub('list-key-rotations', 'list completed rotations with their key material ids', (k, raw) => {
    const rotations = k.listKeyRotations({ keyId: keyIdOf(raw) });
    return { json: awsShapes.listKeyRotationsResponse(rotations), lines: rotationListLines(rotations) };
  }, withKeyId);

  return kms;
}
