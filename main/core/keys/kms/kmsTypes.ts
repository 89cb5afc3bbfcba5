// The public shapes of the embedded KMS: key metadata, list entries, data keys and who is acting.

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';
export type KeyManager = 'CUSTOMER' | 'AWS';
export type RotationType = 'AUTOMATIC' | 'ON_DEMAND';

/** Who asked, for the audit trail. Every field is optional; a request id is made up when absent. */
export interface KmsActor {
  /** An S3 access key id, or a local actor such as `coffer-cli` or `scheduler`. */
  principal?: string;
  sourceIp?: string;
  userAgent?: string;
  requestId?: string;
}

/** DescribeKey's KeyMetadata, for symmetric AWS_KMS-origin keys (the only kind this KMS makes). */
export interface KeyMetadata {
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
  description: string;
  creationDate: Date;
  keyManager: KeyManager;
  keyState: KeyState;
  /** True exactly when keyState is Enabled, as in AWS. */
  enabled: boolean;
  /** Set only while PendingDeletion. */
  deletionDate: Date | undefined;
  pendingDeletionWindowInDays: number | undefined;
  currentKeyMaterialId: string;
}

export interface KeyListEntry {
  keyId: string;
  keyArn: string;
}

export interface AliasListEntry {
  aliasName: string;
  aliasArn: string;
  /** Undefined for an AWS managed alias whose key has not been created yet (AWS lists those too). */
  targetKeyId: string | undefined;
  creationDate: Date | undefined;
}

export interface KeyRotationStatus {
  /** The key ARN. */
  keyId: string;
  keyRotationEnabled: boolean;
  rotationPeriodInDays: number | undefined;
  nextRotationDate: Date | undefined;
}

/** One completed rotation: the material it made current. */
export interface KeyRotationEntry {
  keyId: string;
  keyMaterialId: string;
  rotationDate: Date;
  rotationType: RotationType;
}

export interface ScheduledDeletion {
  /** The key ARN. */
  keyId: string;
  deletionDate: Date;
  keyState: 'PendingDeletion';
  pendingWindowInDays: number;
}

/** GenerateDataKey's answer. `plaintext` is the only secret: use it, then drop it. */
export interface GeneratedDataKey {
  plaintext: Buffer;
  /** Opaque; safe to store next to the data it protects. */
  ciphertextBlob: Buffer;
  /** The key ARN. */
  keyId: string;
  keyMaterialId: string;
}

export interface DecryptedDataKey {
  plaintext: Buffer;
  keyId: string;
  keyMaterialId: string;
}

/** What runDueWork did: rotations made and keys deleted (ARNs and new material ids). */
export interface DueWorkReport {
  rotated: { keyId: string; keyMaterialId: string }[];
  deleted: string[];
}
