// Validation of `coffer store` options: clear messages for bad input before anything starts.
import { z } from 'zod';
import { DEFAULT_REGION, DEFAULT_ROTATION_DAYS, DEFAULT_VIRTUAL_HOST_DOMAINS } from '../../core/store/storeOptions.js';

const port = z.coerce.number().int('must be a whole number').min(0).max(65535);

export const storeCommandSchema = z.object({
  dataDir: z.string({ error: 'is required (the directory for the store data)' }).min(1, 'is required (the directory for the store data)'),
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(9000),
  httpsPort: port.default(9443),
  https: z.boolean().default(true),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z0-9]+)+-\d+$|^[a-z0-9-]{2,32}$/, 'must look like a region name, e.g. us-east-1')
    .default(DEFAULT_REGION),
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  allowInsecureSseC: z.boolean().default(false),
  blockSseCOnNewBuckets: z.boolean().default(false),
  masterKeyRotationDays: z.coerce.number().int('must be a whole number of days').min(1).max(3650).default(DEFAULT_ROTATION_DAYS),
  virtualHostDomain: z.array(z.string().min(1)).default([...DEFAULT_VIRTUAL_HOST_DOMAINS]),
  audit: z.boolean().default(true),
  directIo: z.boolean().default(true),
  auditRetentionDays: z.coerce.number().int('must be a whole number of days').min(1).max(36500).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type StoreCommandOptions = z.infer<typeof storeCommandSchema>;

export function parseStoreCommandOptions(raw: unknown): StoreCommandOptions {
  const parsed = storeCommandSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = issue.path.length > 0 ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ` : '';
    throw new Error(`${flag}${issue.message}`);
  }
  return parsed.data;
}
