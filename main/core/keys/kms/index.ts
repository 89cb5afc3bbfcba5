// Public API of the embedded KMS: LocalKms, opening kms.db, the error type, result types and AWS response shapes.
export { LocalKms, type LocalKmsOptions } from './localKms.js';
export { KMS_DB_FILE, openKmsDatabase, openLocalKms, type OpenedKms } from './openLocalKms.js';
export { KmsError, isKmsError, type KmsErrorCode } from './kmsError.js';
export type { KeyResolution, KeyResolutionFailure } from './keyResolver.js';
export type { DecryptInput, GenerateDataKeyInput } from './dataKeys.js';
export type { EncryptionContext } from './encryptionContext.js';
export { canonicalContext } from './encryptionContext.js';
export { AWS_MANAGED_KEYS, type AwsManagedKeyName } from './awsManagedKeys.js';
export { SCHEDULER } from './dueWork.js';
export { isRegionName } from './identifiers.js';
export { kmsMigrations } from './migrations/index.js';
export {
  DEFAULT_PENDING_WINDOW_DAYS,
  DEFAULT_ROTATION_PERIOD_DAYS,
  MAX_PENDING_WINDOW_DAYS,
  MAX_ROTATION_PERIOD_DAYS,
  MIN_PENDING_WINDOW_DAYS,
  MIN_ROTATION_PERIOD_DAYS,
  ON_DEMAND_ROTATION_LIMIT,
} from './schedules.js';
export type {
  AliasListEntry,
  DecryptedDataKey,
  DueWorkReport,
  GeneratedDataKey,
  KeyListEntry,
  KeyManager,
  KeyMetadata,
  KeyRotationEntry,
  KeyRotationStatus,
  KeyState,
  KmsActor,
  RotationType,
  ScheduledDeletion,
} from './kmsTypes.js';
export * as awsShapes from './awsShapes.js';
