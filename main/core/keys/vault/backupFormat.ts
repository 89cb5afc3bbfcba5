// The vault backup file: a small plaintext header that opens the recovery secret, and the sealed rows of the whole vault.
import { z } from 'zod';
import { KDF_SALT_BYTES } from './scryptKdf.js';

export const BACKUP_FORMAT = 'coffer-vault-backup';

const base64 = z.base64();
const hexId = z.string().regex(/^[0-9a-f]{16}$/);
const millis = z.number().int().nonnegative();

/** Everything here is safe to show: scrypt cost and salt, the passphrase-sealed secret, its one-way check. */
export const backupHeaderSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(1),
  createdAt: z.iso.datetime(),
  kdf: z.object({
    algorithm: z.literal('scrypt'),
    N: z.number().int(),
    r: z.number().int(),
    p: z.number().int(),
    salt: base64.refine((s) => Buffer.from(s, 'base64').length === KDF_SALT_BYTES, 'is not a 16-byte salt'),
  }),
  sealedRecoverySecret: base64,
  recoveryCheck: base64,
});

export const backupFileSchema = backupHeaderSchema.extend({ payload: base64 });

export type BackupHeader = z.infer<typeof backupHeaderSchema>;
export type BackupFile = z.infer<typeof backupFileSchema>;

/** The rows of the vault, every secret in them still sealed as in the file; sealed again as a whole. */
export const backupPayloadSchema = z.object({
  unlockCreatedAt: millis,
  masterKeys: z.array(z.object({ id: hexId, createdAt: millis, sealed: base64 })),
  fileKeys: z.array(
    z.object({ folderId: z.string().min(1), objectKey: z.string().min(1), keyId: hexId, masterKeyId: hexId, createdAt: millis, sealed: base64 }),
  ),
  credentials: z.array(z.object({ id: z.string().min(1), createdAt: millis, updatedAt: millis, sealed: base64 })),
  folders: z.array(z.object({ id: z.string().min(1), localPath: z.string().min(1), settings: z.string(), createdAt: millis, updatedAt: millis })),
});

export type BackupPayload = z.infer<typeof backupPayloadSchema>;

/** The payload's associated data: the whole header, so no header field can be swapped or edited unnoticed. */
export function headerBinding(h: BackupHeader): Buffer {
  const k = h.kdf;
  return Buffer.from(
    JSON.stringify([h.format, h.version, h.createdAt, k.algorithm, k.N, k.r, k.p, k.salt, h.sealedRecoverySecret, h.recoveryCheck]),
    'utf8',
  );
}
