// Remembering the vault's passphrase between runs, sealed by the OS key store, so the desktop app can unlock at start.
import { readFileSync, rmSync } from 'node:fs';
import type { ContractHandlers } from '../../preload/contract.js';
import { writeFileAtomic } from '../core/files/atomicFile.js';

/** The OS key store as Coffer needs it (Electron's safeStorage in the app). */
export interface SecretSealer {
  /** False when the OS offers no real protection; nothing is remembered then. */
  readonly available: boolean;
  /** Throws when the key store refuses. */
  seal(plain: string): Buffer;
  /** Throws when `sealed` was not sealed by this user's key store (another machine, a reset keychain). */
  open(sealed: Buffer): string;
}

/**
 * Whether Electron's safeStorage protects anything here: it must say encryption is available, and
 * on Linux its backend must be a real key store (with 'basic_text' or 'unknown' it falls back to a
 * password written in its own source code, which protects nothing).
 */
export function sealerUsable(platform: NodeJS.Platform, encryptionAvailable: boolean, linuxBackend: string | undefined): boolean {
  if (!encryptionAvailable) return false;
  return platform !== 'linux' || (linuxBackend !== undefined && linuxBackend !== 'basic_text' && linuxBackend !== 'unknown');
}

/** The sealed passphrase in one file (mode 0600), written by rename so a crash never leaves half of it. */
export class RememberedUnlock {
  constructor(
    private readonly file: string,
    private readonly sealer: SecretSealer,
  ) {}

  /** Seals and stores `passphrase`; false (and nothing written) when the sealer is unavailable. Throws when the sealer or the disk fails. */
  remember(passphrase: string): boolean {
    if (!this.sealer.available) return false;
    const sealed = this.sealer.seal(passphrase);
    writeFileAtomic(this.file, sealed, 0o600);
    return true;
  }

  /** The remembered passphrase, or undefined: none stored, sealer unavailable, or a file it cannot open (which is then forgotten). */
  recall(): string | undefined {
    if (!this.sealer.available) return undefined;
    let sealed: Buffer;
    try {
      sealed = readFileSync(this.file);
    } catch {
      return undefined;
    }
    try {
      return this.sealer.open(sealed);
    } catch {
      this.forget();
      return undefined;
    }
  }

  forget(): void {
    rmSync(this.file, { force: true });
  }
}

/**
 * At start: unlocks a locked vault with the remembered passphrase. Returns 'unlocked', 'nothing'
 * (no vault, already unlocked, or nothing remembered) or 'refused' (the passphrase no longer opens
 * the vault: it is forgotten, and the user types it in the window). With `enabled` false (the
 * setting was turned off, perhaps from the browser UI while the app was closed) a remembered
 * passphrase is forgotten unused and the answer is 'nothing'.
 */
export async function unlockWithRemembered(
  handlers: Pick<ContractHandlers, 'status.get' | 'vault.unlock'>,
  remembered: RememberedUnlock,
  enabled = true,
): Promise<'unlocked' | 'nothing' | 'refused'> {
  if (!enabled) {
    remembered.forget();
    return 'nothing';
  }
  const status = await handlers['status.get']({});
  if (!status.vault.exists || status.vault.unlocked) return 'nothing';
  const passphrase = remembered.recall();
  if (passphrase === undefined) return 'nothing';
  try {
    await handlers['vault.unlock']({ passphrase });
    return 'unlocked';
  } catch {
    remembered.forget();
    return 'refused';
  }
}

/**
 * The handlers with 'vault.unlock' also remembering the passphrase after a successful passphrase unlock while
 * `shouldRemember()` says so. A failure to remember does not fail the unlock.
 */
export function rememberingUnlocks(handlers: ContractHandlers, remembered: RememberedUnlock, shouldRemember: () => boolean, onFailure: (err: unknown) => void): ContractHandlers {
  return {
    ...handlers,
    'vault.unlock': async (request) => {
      const result = await handlers['vault.unlock'](request);
      // Only a passphrase is remembered: a recovery key stays with its file.
      if (shouldRemember() && 'passphrase' in request) {
        try {
          remembered.remember(request.passphrase);
        } catch (err) {
          onFailure(err);
        }
      }
      return result;
    },
  };
}
