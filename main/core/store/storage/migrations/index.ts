// The store database's migrations, in order.
import type { Migration } from '../../../db/migrate.js';
import { initialSchema } from './0001-initial.js';
import { bucketPolicyAndBlocking } from './0002-bucket-policy-and-blocking.js';
import { objectTags } from './0003-object-tags.js';

export const storeMigrations: readonly Migration[] = [initialSchema, bucketPolicyAndBlocking, objectTags];
