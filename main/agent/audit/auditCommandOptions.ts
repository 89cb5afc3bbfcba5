// Validation of the `coffer audit` filter flags: clear messages for bad input before the log is opened.
import { z } from 'zod';
import type { AuditFilter, AuditPageRequest } from '../../core/audit/auditQuery.js';
import { MAX_PAGE_SIZE } from '../../core/audit/auditQuery.js';

const isoTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/, 'must be an ISO-8601 date or time, e.g. 2025-06-01T12:00:00Z')
  .transform((text) => new Date(text))
  .refine((d) => !Number.isNaN(d.getTime()), 'is not a valid date');

const filterSchema = z.object({
  since: isoTime.optional(),
  until: isoTime.optional(),
  category: z.enum(['s3', 'kms', 'admin', 'sync']).optional(),
  operation: z.array(z.string().min(1)).optional(),
  bucket: z.string().min(1).optional(),
  prefix: z.string().min(1).optional(),
  principal: z.string().min(1).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  keyId: z.string().min(1).optional(),
  requestId: z.string().min(1).optional(),
  search: z.string().min(1).optional(),
});

const pageSchema = z.object({
  limit: z.coerce.number().int('must be a whole number').min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().optional(),
  oldestFirst: z.boolean().default(false),
});

export const pruneSchema = z.object({
  olderThanDays: z.coerce.number({ error: 'is required' }).int('must be a whole number of days').min(0).max(36_500),
  force: z.boolean().default(false),
});

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = issue.path.length > 0 ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ` : '';
    throw new Error(`${flag}${issue.message}`);
  }
  return parsed.data;
}

/** --operation may repeat or hold a comma list: `--operation PutObject,GetObject`. */
export function parseAuditFilter(raw: Record<string, unknown>): AuditFilter {
  const o = parse(filterSchema, raw);
  const operations = o.operation?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  const filter: AuditFilter = {
    since: o.since,
    until: o.until,
    category: o.category,
    operations,
    bucket: o.bucket,
    keyPrefix: o.prefix,
    principal: o.principal,
    outcome: o.outcome,
    keyId: o.keyId,
    requestId: o.requestId,
    text: o.search,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as AuditFilter;
}

export function parseAuditPage(raw: Record<string, unknown>): AuditPageRequest {
  const o = parse(pageSchema, raw);
  return { limit: o.limit, order: o.oldestFirst ? 'oldest' : 'newest', ...(o.cursor !== undefined ? { cursor: o.cursor } : {}) };
}

export function parsePruneOptions(raw: Record<string, unknown>): z.infer<typeof pruneSchema> {
  return parse(pruneSchema, raw);
}
