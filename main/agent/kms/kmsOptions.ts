// Checks of `coffer kms` option values that commander cannot make, with messages naming the flag.
import { isRegionName } from '../../core/keys/kms/index.js';
import { DEFAULT_REGION } from '../../core/store/storeOptions.js';

/** The options every `coffer kms` subcommand takes. */
export interface CommonKmsOptions {
  dataDir: string;
  region: string;
  json: boolean;
}

export function parseCommon(raw: Record<string, unknown>): CommonKmsOptions {
  const dataDir = raw['dataDir'];
  if (typeof dataDir !== 'string' || dataDir.length === 0) throw new Error('--data-dir: is required (the store data directory)');
  const region = raw['region'] ?? DEFAULT_REGION;
  if (typeof region !== 'string' || !isRegionName(region)) throw new Error('--region: must look like a region name, e.g. us-east-1');
  return { dataDir, region, json: raw['json'] === true };
}

/** A whole number of days; the range itself is the KMS's to check (it answers AWS's ValidationException). */
export function parseDays(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value)) throw new Error(`${flag}: must be a whole number of days, got '${String(value)}'`);
  return Number(value);
}

export function requiredText(flag: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${flag}: is required`);
  return value;
}
