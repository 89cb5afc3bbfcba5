// Validation of every control API request at the boundary: unknown fields and wrong types are refused with the field's name.
import { z } from 'zod';
import type { Channel } from '../../../preload/contract.js';
import { ApiError } from './apiError.js';

const empty = z.object({}).strict();
const folderId = z.string().regex(/^[a-z0-9-]{8,64}$/, 'must be a folder id');
const optionalFolder = z.object({ folderId: folderId.optional() }).strict();
const encryptionMode = z.enum(['sse-s3', 'sse-kms', 'sse-c-vault', 'sse-c-key']);
const kmsKeyId = z.string().min(1).max(2048);
const byKey = z.object({ keyId: kmsKeyId }).strict();
const isoTime = z.string().datetime({ offset: true });
const historyFilter = z
  .object({
    since: isoTime.optional(),
    until: isoTime.optional(),
    category: z.enum(['s3', 'kms', 'admin', 'sync']).optional(),
    operation: z.string().min(1).max(128).optional(),
    bucket: z.string().min(1).max(255).optional(),
    keyPrefix: z.string().min(1).max(1024).optional(),
    principal: z.string().min(1).max(256).optional(),
    outcome: z.enum(['success', 'failure', 'denied']).optional(),
    keyId: z.string().min(1).max(2048).optional(),
    text: z.string().min(1).max(256).optional(),
  })
  .strict();
const historyCursor = z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be a cursor this history handed out');

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
  'vault.unlock': z.union([z.object({ passphrase: z.string().min(1) }).strict(), z.object({ recoveryKey: z.string().min(1) }).strict()]),
  'vault.lock': empty,
  'keys.list': empty,
  'keys.rotate': empty,
  'keys.rekey': z.object({ folderId: folderId.optional(), olderThanDays: z.number().int().min(0).max(36500).optional() }).strict(),
  'folders.setMode': z
    .object({ folderId, mode: encryptionMode, kmsKeyId: z.string().min(1).optional(), sseCKeyFile: z.string().min(1).optional() })
    .strict(),
  'conflicts.list': optionalFolder,
  'conflicts.resolve': z.object({ id: z.number().int().min(1), keep: z.enum(['mine', 'theirs', 'both']) }).strict(),
  'vault.create': z.object({ passphrase: z.string().min(1) }).strict(),
  'vault.recover': z.object({ recoveryKey: z.string().min(1).max(512), passphrase: z.string().min(1) }).strict(),
  'keys.store': empty,
  'keys.rotateStore': empty,
  'kms.list': empty,
  'kms.create': z.object({ alias: z.string().min(1).max(256).optional(), description: z.string().max(8192).optional() }).strict(),
  'kms.rotate': byKey,
  'kms.setRotation': z.object({ keyId: kmsKeyId, enabled: z.boolean(), periodDays: z.number().int().min(90).max(2560).optional() }).strict(),
  'kms.impact': byKey,
  'kms.disable': byKey,
  'kms.enable': byKey,
  'kms.scheduleDeletion': z.object({ keyId: kmsKeyId, pendingWindowDays: z.number().int().min(7).max(30).optional() }).strict(),
  'kms.cancelDeletion': byKey,
  'history.list': z.object({ filter: historyFilter.optional(), cursor: historyCursor.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'history.histogram': z.object({ filter: historyFilter.optional(), buckets: z.number().int().min(1).max(500).optional() }).strict(),
  'history.verify': empty,
  'history.export': z.object({ filter: historyFilter.optional(), cursor: historyCursor.optional() }).strict(),
  'settings.get': empty,
  'settings.set': z
    .object({
      uploadKiBps: z.number().min(0).max(10_000_000).optional(),
      downloadKiBps: z.number().min(0).max(10_000_000).optional(),
      startAtLogin: z.boolean().optional(),
      notifications: z.boolean().optional(),
      lockAfterIdleMinutes: z.number().int().min(0).max(10_080).optional(),
      rememberUnlock: z.boolean().optional(),
      theme: z.enum(['system', 'light', 'dark']).optional(),
    })
    .strict(),
  'folders.getIgnore': z.object({ folderId }).strict(),
  'folders.setIgnore': z.object({ folderId, text: z.string().max(65_536) }).strict(),
};

/** The request, checked; ApiError('InvalidRequest') names the first bad field (never echoing its value). */
export function validateRequest(channel: Channel, request: unknown): unknown {
  const parsed = requestSchemas[channel].safeParse(request);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : 'request';
  throw new ApiError('InvalidRequest', `${channel}: ${field}: ${issue.message}`);
}
