// Validation of every control API request at the boundary: unknown fields and wrong types are refused with the field's name.
import { z } from 'zod';
import type { Channel } from '../../../preload/contract.js';
import { ApiError } from './apiError.js';

const empty = z.object({}).strict();
const folderId = z.string().regex(/^[a-z0-9-]{8,64}$/, 'must be a folder id');
const optionalFolder = z.object({ folderId: folderId.optional() }).strict();
const encryptionMode = z.enum(['sse-s3', 'sse-kms', 'sse-c-vault', 'sse-c-key']);

export const requestSchemas: Record<Channel, z.ZodType> = {
  'status.get': empty,
  'folders.add': z
    .object({
      localPath: z.string().min(1),
      mode: encryptionMode.optional(),
      kmsKeyId: z.string().min(1).optional(),
      sseCKeyFile: z.string().min(1).optional(),
      rememberKey: z.boolean().optional(),
      store: z.string().min(1).optional(),
      bucket: z.string().min(1).optional(),
      prefix: z.string().optional(),
      region: z.string().min(1).optional(),
      pathStyle: z.boolean().optional(),
      accessKeyId: z.string().min(1).optional(),
      secretAccessKey: z.string().min(1).optional(),
      caCertPem: z.string().min(1).optional(),
      insecureTls: z.boolean().optional(),
    })
    .strict(),
  'folders.pause': optionalFolder,
  'folders.resume': optionalFolder,
  'folders.syncNow': optionalFolder,
  'folders.remove': z.object({ folderId }).strict(),
  'folders.approveDeletions': z.object({ folderId }).strict(),
  'vault.unlock': z.object({ passphrase: z.string().min(1) }).strict(),
  'vault.lock': empty,
  'keys.list': empty,
  'keys.rotate': empty,
  'keys.rekey': z.object({ folderId: folderId.optional(), olderThanDays: z.number().int().min(0).max(36500).optional() }).strict(),
  'folders.setMode': z
    .object({ folderId, mode: encryptionMode, kmsKeyId: z.string().min(1).optional(), sseCKeyFile: z.string().min(1).optional() })
    .strict(),
  'conflicts.list': optionalFolder,
};

/** The request, checked; ApiError('InvalidRequest') names the first bad field (never echoing its value). */
export function validateRequest(channel: Channel, request: unknown): unknown {
  const parsed = requestSchemas[channel].safeParse(request);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : 'request';
  throw new ApiError('InvalidRequest', `${channel}: ${field}: ${issue.message}`);
}
