// What the `coffer vault` commands print without --json: short lines, ids and counts, never a secret except the recovery key at init.
import type { BackupSummary } from '../../core/keys/vault/index.js';
import type { VaultStatus } from './vaultActions.js';

export function recoveryKeyLines(file: string, recoveryKey: string): string[] {
  return [
    `Created vault ${file}`,
    '',
    'Recovery key (shown this once; write it down and keep it away from this machine):',
    '',
    `    ${recoveryKey}`,
    '',
    'It opens the vault if the passphrase is lost, and sets the vault up on another machine:',
    '    coffer vault recover --data-dir <dir> --recovery-key <key>',
  ];
}

export function summaryText(s: BackupSummary): string {
  return `${s.masterKeys} master key versions, ${s.fileKeys} file keys, ${s.credentials} credentials, ${s.folders} folders`;
}

export function statusLines(status: VaultStatus): string[] {
  if (!status.exists) return [`No vault at ${status.file}`, 'Create one with: coffer vault init --data-dir <dir>'];
  const kdf = status.kdf!;
  const lines = [
    `Vault ${status.file}`,
    `  Passphrase KDF:  ${kdf.algorithm} N=2^${Math.log2(kdf.N)} r=${kdf.r} p=${kdf.p}`,
    `  File keys:       ${status.fileKeys}`,
    `  Credentials:     ${status.credentials}`,
    `  Folders:         ${status.folders}`,
  ];
  const versions = status.masterKeys!;
  if (versions.length === 0) {
    lines.push('  Master keys:     none yet (merge the keyring from the store)');
    return lines;
  }
  lines.push(`  Master keys:     ${versions.length} version${versions.length === 1 ? '' : 's'}, oldest first`);
  for (const v of versions) lines.push(`    ${v.id}  ${v.createdAt.toISOString()}${v.current ? '  (current)' : ''}`);
  return lines;
}
