// A synced folder's settings: where it lives, which store and bucket, and how its objects are encrypted.
import { z } from 'zod';

export const ENCRYPTION_MODES = ['sse-s3', 'sse-kms', 'sse-c-vault', 'sse-c-key'] as const;
export type EncryptionMode = (typeof ENCRYPTION_MODES)[number];

/** What each mode means for who holds the key, in words a person can act on. */
export const MODE_EXPLANATIONS: Record<EncryptionMode, string> = {
  'sse-s3': 'The store encrypts each file with its own key and keeps those keys sealed under its master key.',
  'sse-kms': 'The store encrypts each file with a data key from a KMS key; every use of that key is in the access history.',
  'sse-c-vault': 'Your vault holds one key per file and sends it with each request; the store keeps only a check value.',
  'sse-c-key': 'You supply one key for the whole folder; without it nobody, including Coffer, can read the files back.',
};

const tlsSchema = z
  .object({
    /** PEM of a CA (or the self-signed certificate) to trust. */
    caPem: z.string().min(1).optional(),
    /** Hex SHA-256 of the exact server certificate to accept (the embedded store's pin). */
    pinnedSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits').optional(),
    /** Accept any certificate. Only for test rigs; SSE-C keys cross such a link unprotected. */
    insecure: z.boolean().optional(),
  })
  .strict();

const storeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded') }).strict(),
  z
    .object({
      kind: z.literal('remote'),
      endpoint: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
      region: z.string().min(1).default('us-east-1'),
      pathStyle: z.boolean().default(false),
      /** The vault credential holding the access key and secret (never the secret itself). */
      credentialId: z.string().min(1),
      tls: tlsSchema.default({}),
    })
    .strict(),
]);

/** S3 bucket naming rules (the common subset every provider accepts). */
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be 3-63 characters of a-z, 0-9, dots and hyphens, starting and ending with a letter or digit')
  .refine((name) => !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name), 'must not contain ".." or look like an IP address');

/**
 * The encryption a folder is moving to while its objects are re-encrypted in place (see
 * modeChange.ts): kept until every object is done, so a crash or restart carries on, and cleared
 * when `mode` takes its value. The same key fields as the folder's own, for the target mode.
 */
const pendingModeSchema = z
  .object({
    mode: z.enum(ENCRYPTION_MODES),
    kmsKeyId: z.string().min(1).optional(),
    sseCKeyFingerprint: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    sseCKeyFile: z.string().min(1).optional(),
    sseCKeyCredentialId: z.string().min(1).optional(),
    /** ISO time the change was asked for. */
    requestedAt: z.string(),
  })
  .strict();

export type PendingMode = z.infer<typeof pendingModeSchema>;

type ModeFields = Pick<PendingMode, 'mode' | 'kmsKeyId' | 'sseCKeyFingerprint' | 'sseCKeyFile' | 'sseCKeyCredentialId'>;

/** The rules tying key fields to a mode, for the folder's mode and for a pending one (issues under `path`). */
function checkModeFields(s: ModeFields, ctx: z.RefinementCtx, path: readonly string[]): void {
  if (s.mode !== 'sse-kms' && s.kmsKeyId !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'kmsKeyId'], message: 'only applies to mode sse-kms' });
  if (s.mode === 'sse-c-key' && s.sseCKeyFingerprint === undefined) ctx.addIssue({ code: 'custom', path: [...path, 'sseCKeyFingerprint'], message: 'is required for mode sse-c-key' });
  if (s.mode === 'sse-c-key' && s.sseCKeyFile === undefined && s.sseCKeyCredentialId === undefined) {
    ctx.addIssue({ code: 'custom', path: [...path, 'sseCKeyFile'], message: 'sse-c-key needs a key file or a key remembered in the vault' });
  }
}

export const folderSettingsSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{8,64}$/),
    localPath: z.string().min(1),
    store: storeSchema,
    bucket: bucketName,
    /** Object keys are prefix + path; '' or ending in '/'. */
    prefix: z.string().refine((p) => p === '' || (p.endsWith('/') && !p.startsWith('/')), 'must be empty or end with "/" (and not start with "/")').default(''),
    mode: z.enum(ENCRYPTION_MODES),
    /** sse-kms: the CMK in any of S3's four forms; absent means the store's aws/s3 managed key. */
    kmsKeyId: z.string().min(1).optional(),
    /** sse-c-key: SHA-256 fingerprint of the user's key, to refuse a different key later. */
    sseCKeyFingerprint: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    /** sse-c-key: a file holding the key (32 bytes raw, or 64 hex digits, or base64), read at each start. */
    sseCKeyFile: z.string().min(1).optional(),
    /** sse-c-key: the vault credential holding the key when the user asked Coffer to remember it. */
    sseCKeyCredentialId: z.string().min(1).optional(),
    paused: z.boolean().default(false),
    /** Days a deleted file's remote copy stays under the trash prefix. */
    trashDays: z.number().int().min(0).max(3650).default(30),
    deletionGuard: z
      .object({ maxFraction: z.number().gt(0).max(1).default(0.5), maxCount: z.number().int().min(1).default(1000) })
      .strict()
      .default({ maxFraction: 0.5, maxCount: 1000 }),
    createdAt: z.string(),
    pendingMode: pendingModeSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    checkModeFields(s, ctx, []);
    if (s.pendingMode) checkModeFields(s.pendingMode, ctx, ['pendingMode']);
  });

export type FolderSettings = z.infer<typeof folderSettingsSchema>;
export type FolderStore = FolderSettings['store'];

export class FolderSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FolderSettingsError';
  }
}

/** Parses stored or submitted settings; FolderSettingsError names the first bad field. */
export function parseFolderSettings(raw: unknown): FolderSettings {
  const parsed = folderSettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'settings';
  throw new FolderSettingsError(`folder ${where}: ${issue.message}`);
}
