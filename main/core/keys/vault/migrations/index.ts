// The vault database's migrations, in order.
import type { Migration } from '../../../db/migrate.js';
import { initialVaultSchema } from './0001-initial.js';

export const vaultMigrations: readonly Migration[] = [initialVaultSchema];
