// The KMS database's migrations, in order.
import type { Migration } from '../../../db/migrate.js';
import { initialKmsSchema } from './0001-initial.js';

export const kmsMigrations: readonly Migration[] = [initialKmsSchema];
