// The client vault's value types: secret key brands, what may be shown about keys, and the vault's options.
import type { AuditEvent } from '../../audit/auditEvent.js';
import type { RandomSource } from '../../crypto/random.js';
import type { KdfParams } from './scryptKdf.js';

declare const keyKind: unique symbol;

/**
 * A vault master key version's 32 bytes. Never persisted in plaintext: it lives only in an
 * unlocked vault's memory and is wiped (zero-filled) by lock().
 */
export type MasterKey = Buffer & { readonly [keyKind]: 'MasterKey' };

/**
 * One file's 32-byte SSE-C key. Never persisted in plaintext: it is sent with each request over
 * HTTPS and stored only wrapped. The caller that receives one owns it and should wipe it after use.
 */
export type FileKey = Buffer & { readonly [keyKind]: 'FileKey' };

/**
 * A file key wrapped under a master key version, as `<masterKeyId>.<base64url>`. Safe to store
 * (in the vault, or in an object tag on a remote store): it opens only with the master key.
 */
export type WrappedKey = string & { readonly [keyKind]: 'WrappedKey' };

/** What may be shown about a master key version: never its bytes. */
export interface MasterKeyInfo {
  /** 16 lowercase hex characters, random, so two devices rotating at once never collide. */
  id: string;
  createdAt: Date;
  /** True for the newest version by (createdAt, id): the one new file keys are wrapped under. */
  current: boolean;
}

/** A stored per-file key, without its bytes. */
export interface FileKeyInfo {
  folderId: string;
  objectKey: string;
  /** The id bound into the wrapped key's associated data (16 hex characters). */
  keyId: string;
  masterKeyId: string;
  createdAt: Date;
}

/** An access key pair for a remote S3 store; the secret half is stored sealed. */
export interface RemoteCredential {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Receives the vault's audit events (admin category; never key material). Must not throw. */
export type VaultEventSink = (event: AuditEvent) => void;

export interface VaultOptions {
  /** scrypt parameters for a new vault or passphrase; default: calibrated on this machine. */
  kdf?: KdfParams;
  random?: RandomSource;
  now?: () => Date;
  onEvent?: VaultEventSink;
  /** How events name the caller (default `coffer-agent`). */
  principal?: string;
}
