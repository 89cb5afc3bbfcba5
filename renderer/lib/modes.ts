// The four encryption modes in plain words: what each is called and who holds the key.
import type { EncryptionModeName } from '../../preload/contract.js';

export interface ModeDescription {
  label: string;
  short: string;
  /** Who holds the key, and what that means for the user. */
  explanation: string;
}

export const MODES: Readonly<Record<EncryptionModeName, ModeDescription>> = {
  'sse-s3': {
    label: 'SSE-S3',
    short: 'Store-managed keys',
    explanation: 'The store encrypts each file with its own key and seals those keys with its master key. Whoever runs the store can read the files.',
  },
  'sse-kms': {
    label: 'SSE-KMS',
    short: 'Keys from the KMS',
    explanation: 'Each file gets a data key from a KMS key you control; every use of the key is in the access history, and disabling the key makes the files unreadable.',
  },
  'sse-c-vault': {
    label: 'SSE-C (vault keys)',
    short: 'Your vault holds the keys',
    explanation: 'Each file has its own key, kept in your vault and sent with each request. The store keeps only a salted fingerprint: without your vault, nobody can read the files.',
  },
  'sse-c-key': {
    label: 'SSE-C (your key)',
    short: 'You supply the key',
    explanation: 'One key you supply encrypts every file; the store keeps only a salted fingerprint. Lose the key and the files are lost.',
  },
};

export function modeLabel(mode: EncryptionModeName, kmsKeyId?: string): string {
  return mode === 'sse-kms' ? `SSE-KMS (${kmsKeyId ?? 'aws/s3'})` : MODES[mode].label;
}
