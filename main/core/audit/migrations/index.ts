// The audit database's migrations, in order.
import type { Migration } from '../../db/migrate.js';
import { initialAuditSchema } from './0001-initial.js';

export const auditMigrations: readonly Migration[] = [initialAuditSchema];
