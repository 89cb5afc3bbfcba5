// Electron's safeStorage as a SecretSealer: the OS keychain, DPAPI, or libsecret/kwallet seal the remembered passphrase.
import { safeStorage } from 'electron';
import { sealerUsable, type SecretSealer } from './rememberedUnlock.js';

export function safeStorageSealer(): SecretSealer {
  return {
    get available() {
      const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
      return sealerUsable(process.platform, safeStorage.isEncryptionAvailable(), backend);
    },
    seal: (plain) => safeStorage.encryptString(plain),
    open: (sealed) => safeStorage.decryptString(sealed),
  };
}
