// The store database's migrations, in order.
import type { Migration } from '../../../db/migrate.js';
import { initialSchema } from './0001-initial.js';

export const storeMigrations: readonly Migration[] = [initialSchema];
