// The vault's access-history events (unlocks, rotations, recovery…): ids and counts only, never key material.
import type { AuditEvent } from '../../audit/auditEvent.js';
import type { VaultEventSink, VaultOptions } from './vaultTypes.js';

/** How events name the vault's master key; the version id goes in keyVersion. */
export const VAULT_MASTER_KEY_ID = 'vault-master-key';
export const DEFAULT_VAULT_PRINCIPAL = 'coffer-agent';

export type VaultOperation =
  | 'VaultInit'
  | 'VaultRecover'
  | 'VaultUnlock'
  | 'VaultUnlockFailed'
  | 'VaultLock'
  | 'ChangePassphrase'
  | 'RotateVaultMasterKey'
  | 'MergeVaultKeyring'
  | 'ExportVaultBackup'
  | 'ImportVaultBackup';

/** How an unlock proved the user: recorded so a recovery-key unlock stands out in the history. */
export type UnlockMethod = 'passphrase' | 'recovery-key' | 'key-file';

export interface VaultEventFields {
  outcome?: AuditEvent['outcome'];
  keyVersion?: string;
  errorCode?: string;
  details?: Record<string, unknown>;
}

/**
 * Per-file key operations are deliberately not recorded: they happen once per synced file and
 * would drown the unlocks and rotations the history is for. The category is `admin`, the access
 * history's category for key administration.
 */
export class VaultEvents {
  constructor(
    private readonly sink: VaultEventSink | undefined,
    private readonly principal: string,
    private readonly now: () => Date,
  ) {}

  emit(operation: VaultOperation, fields: VaultEventFields = {}): void {
    if (!this.sink) return;
    const event: AuditEvent = {
      time: this.now(),
      category: 'admin',
      operation,
      outcome: fields.outcome ?? 'success',
      principal: this.principal,
      keyId: VAULT_MASTER_KEY_ID,
      ...(fields.keyVersion !== undefined ? { keyVersion: fields.keyVersion } : {}),
      ...(fields.errorCode !== undefined ? { errorCode: fields.errorCode } : {}),
      ...(fields.details !== undefined ? { details: fields.details } : {}),
    };
    try {
      this.sink(event);
    } catch {
      // A failing history must not turn an unlock or a rotation into a failure.
    }
  }
}

/** The events of a vault opened with `options`. */
export function vaultEvents(options: VaultOptions): VaultEvents {
  return new VaultEvents(options.onEvent, options.principal ?? DEFAULT_VAULT_PRINCIPAL, options.now ?? (() => new Date()));
}
