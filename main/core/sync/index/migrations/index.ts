// The local index's migrations, in order.
import type { Migration } from '../../../db/migrate.js';
import { initialIndexSchema } from './0001-initial.js';
import { folderJobsSchema } from './0002-folder-jobs.js';
import { syncedVersionSchema } from './0003-synced-version.js';

export const indexMigrations: readonly Migration[] = [initialIndexSchema, folderJobsSchema, syncedVersionSchema];
