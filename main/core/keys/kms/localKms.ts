// LocalKms: the embedded KMS's operations under AWS KMS's names, over one SQLite file shared by processes.
import type { AuditSink } from '../../audit/auditEvent.js';
import type { SqliteDatabase } from '../../db/openDatabase.js';
import { systemRandom, type RandomSource } from '../../crypto/random.js';
import { createAlias, deleteAlias, listAliases } from './aliasAdmin.js';
import { ensureAwsManagedKey, managedKeyNamed, type AwsManagedKeyName } from './awsManagedKeys.js';
import { decrypt, generateDataKey, type DecryptInput, type GenerateDataKeyInput } from './dataKeys.js';
import { runDueWork } from './dueWork.js';
import { isAccountId, isRegionName, newAccountId } from './identifiers.js';
import { cancelKeyDeletion, createKey, describeKey, disableKey, enableKey, listKeys, scheduleKeyDeletion } from './keyAdmin.js';
import { resolveUsableKey, type KeyResolution } from './keyResolver.js';
import { disableKeyRotation, enableKeyRotation, getKeyRotationStatus, listKeyRotations, rotateKeyOnDemand } from './keyRotation.js';
import { describeRow, type KmsContext } from './kmsContext.js';
import { KmsRepository } from './kmsRepository.js';
import { verifyRootKey } from './rootKeyCheck.js';
import type {
  AliasListEntry,
  DecryptedDataKey,
  DueWorkReport,
  GeneratedDataKey,
  KeyListEntry,
  KeyMetadata,
  KeyRotationEntry,
  KeyRotationStatus,
  KmsActor,
  ScheduledDeletion,
} from './kmsTypes.js';

export interface LocalKmsOptions {
  /** The store root key (32 bytes); seals every key material. */
  rootKey: Buffer;
  /** The region this instance answers as; ARNs carry it, keys of other regions stay invisible. */
  region: string;
  /** Receives one event per use and per administration. */
  audit: AuditSink;
  now?: () => Date;
  random?: RandomSource;
}

const ACCOUNT_SETTING = 'account_id';

/**
 * Every method reads the database afresh, so changes made by another LocalKms on the same file
 * (the running store, `coffer kms`) apply on the next call. The instance holds only immutable
 * facts (region, account id); it never caches keys, states or materials.
 *
 * Errors are KmsErrors with AWS's exception names and texts. Methods taking an `actor` are
 * audited, successes and failures alike; reads (describe, list, status) are not.
 */
export class LocalKms {
  readonly region: string;
  readonly accountId: string;
  private readonly ctx: KmsContext;

  /** CryptoError when `rootKey` is not the one this kms.db was created with (rootKeyCheck.ts). */
  constructor(db: SqliteDatabase, options: LocalKmsOptions) {
    if (options.rootKey.length !== 32) throw new RangeError('the KMS root key must be 32 bytes');
    if (!isRegionName(options.region)) throw new RangeError(`'${options.region}' is not a region name (e.g. us-east-1)`);
    const repo = new KmsRepository(db);
    const random = options.random ?? systemRandom;
    repo.write(() => {
      verifyRootKey(repo, options.rootKey, random);
      // Generated once per store and kept: ARNs must not change between runs or processes.
      repo.setSettingIfAbsent(ACCOUNT_SETTING, newAccountId(random));
    });
    const accountId = repo.setting(ACCOUNT_SETTING)!;
    if (!isAccountId(accountId)) throw new Error(`kms.db holds a malformed account id`);
    this.region = options.region;
    this.accountId = accountId;
    this.ctx = { repo, rootKey: options.rootKey, region: options.region, accountId, now: options.now ?? (() => new Date()), random, audit: options.audit };
  }

  createKey(input: { description?: string; alias?: string } = {}, actor?: KmsActor): KeyMetadata {
    return createKey(this.ctx, input, actor);
  }

  describeKey(input: { keyId: string }): KeyMetadata {
    return describeKey(this.ctx, input.keyId);
  }

  listKeys(): KeyListEntry[] {
    return listKeys(this.ctx);
  }

  createAlias(input: { aliasName: string; targetKeyId: string }, actor?: KmsActor): void {
    createAlias(this.ctx, input, actor);
  }

  deleteAlias(input: { aliasName: string }, actor?: KmsActor): void {
    deleteAlias(this.ctx, input.aliasName, actor);
  }

  listAliases(input: { keyId?: string } = {}): AliasListEntry[] {
    return listAliases(this.ctx, input.keyId);
  }

  enableKey(input: { keyId: string }, actor?: KmsActor): void {
    enableKey(this.ctx, input.keyId, actor);
  }

  disableKey(input: { keyId: string }, actor?: KmsActor): void {
    disableKey(this.ctx, input.keyId, actor);
  }

  scheduleKeyDeletion(input: { keyId: string; pendingWindowInDays?: number }, actor?: KmsActor): ScheduledDeletion {
    return scheduleKeyDeletion(this.ctx, input, actor);
  }

  cancelKeyDeletion(input: { keyId: string }, actor?: KmsActor): { keyId: string } {
    return cancelKeyDeletion(this.ctx, input.keyId, actor);
  }

  enableKeyRotation(input: { keyId: string; rotationPeriodInDays?: number }, actor?: KmsActor): void {
    enableKeyRotation(this.ctx, input, actor);
  }

  disableKeyRotation(input: { keyId: string }, actor?: KmsActor): void {
    disableKeyRotation(this.ctx, input.keyId, actor);
  }

  getKeyRotationStatus(input: { keyId: string }): KeyRotationStatus {
    return getKeyRotationStatus(this.ctx, input.keyId);
  }

  rotateKeyOnDemand(input: { keyId: string }, actor?: KmsActor): { keyId: string; keyMaterialId: string } {
    return rotateKeyOnDemand(this.ctx, input.keyId, actor);
  }

  listKeyRotations(input: { keyId: string }): KeyRotationEntry[] {
    return listKeyRotations(this.ctx, input.keyId);
  }

  generateDataKey(input: GenerateDataKeyInput, actor?: KmsActor): GeneratedDataKey {
    return generateDataKey(this.ctx, input, actor);
  }

  decrypt(input: DecryptInput, actor?: KmsActor): DecryptedDataKey {
    return decrypt(this.ctx, input, actor);
  }

  /**
   * For the store, before it reads a request body: whether `input` names a usable key here, and if
   * not, which of the cases S3 words differently (keyResolver.ts). `alias/aws/s3` is created on
   * first use. Never throws a KmsError; never audited (GenerateDataKey records the use).
   */
  resolveKey(input: string, actor?: KmsActor): KeyResolution {
    const managed = managedKeyNamed(this.ctx, input);
    if (managed) ensureAwsManagedKey(this.ctx, managed, actor);
    return resolveUsableKey(this.ctx, input);
  }

  /** The AWS managed key (`aws/s3`), created with its alias on first use in this region. */
  awsManagedKey(name: AwsManagedKeyName, actor?: KmsActor): KeyMetadata {
    return describeRow(this.ctx, ensureAwsManagedKey(this.ctx, name, actor));
  }

  /** Deletes keys whose window ended and performs due automatic rotations, in every region of the file. */
  runDueWork(now: Date, actor?: KmsActor): DueWorkReport {
    return runDueWork(this.ctx, now, actor);
  }
}
