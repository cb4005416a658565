import { safeStorage } from 'electron'
import type { SecretEncryptor } from '../app/encrypted-secret-store'

/**
 * The OS keychain through Electron's safeStorage (Keychain, DPAPI, libsecret or KWallet). On
 * Linux without a keyring Electron falls back to a fixed key, which is no protection: then nothing
 * is remembered across restarts.
 */
export const safeStorageEncryptor: SecretEncryptor = {
  isAvailable: () =>
    safeStorage.isEncryptionAvailable() &&
    (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
  encrypt: (plainText) => safeStorage.encryptString(plainText),
  decrypt: (encrypted) => safeStorage.decryptString(encrypted),
}
