// The KMS's time rules: deletion windows, rotation periods, the on-demand limit, and date arithmetic.
import { KmsError, constraintViolation } from './kmsError.js';

export const DAY_MS = 86_400_000;

/** ScheduleKeyDeletion: PendingWindowInDays 7-30, default 30. */
export const MIN_PENDING_WINDOW_DAYS = 7;
export const MAX_PENDING_WINDOW_DAYS = 30;
export const DEFAULT_PENDING_WINDOW_DAYS = 30;

/** EnableKeyRotation: RotationPeriodInDays 90-2560, default 365. */
export const MIN_ROTATION_PERIOD_DAYS = 90;
export const MAX_ROTATION_PERIOD_DAYS = 2560;
export const DEFAULT_ROTATION_PERIOD_DAYS = 365;

/** AWS managed keys rotate every year and that cannot be changed. */
export const AWS_MANAGED_ROTATION_DAYS = 365;

/** On-demand rotations allowed per key over its life (the current AWS developer guide says 25; older pages said 10). */
export const ON_DEMAND_ROTATION_LIMIT = 25;

/** Description: at most 8192 characters (CreateKey). */
export const MAX_DESCRIPTION_LENGTH = 8192;

function assertDays(field: string, days: number, min: number, max: number): void {
  if (!Number.isInteger(days)) throw new KmsError('ValidationException', `${field} must be a whole number of days`);
  if (days < min) throw constraintViolation(field, days, `Member must have value greater than or equal to ${min}`);
  if (days > max) throw constraintViolation(field, days, `Member must have value less than or equal to ${max}`);
}

export function assertPendingWindow(days: number): void {
  assertDays('pendingWindowInDays', days, MIN_PENDING_WINDOW_DAYS, MAX_PENDING_WINDOW_DAYS);
}

export function assertRotationPeriod(days: number): void {
  assertDays('rotationPeriodInDays', days, MIN_ROTATION_PERIOD_DAYS, MAX_ROTATION_PERIOD_DAYS);
}

export function assertDescription(description: string): void {
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    throw new KmsError('ValidationException', `1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DESCRIPTION_LENGTH}`);
  }
}

export function addDays(ms: number, days: number): number {
  return ms + days * DAY_MS;
}

/**
 * The automatic rotation after one that was due at `dueAt`: the schedule keeps its phase
 * (every `periodDays` from the date rotation was enabled). If the KMS was not running for
 * several periods, one rotation covers them all and the next date is the first one after `now`.
 */
export function nextRotationAfter(dueAt: number, periodDays: number, now: number): number {
  let next = addDays(dueAt, periodDays);
  while (next <= now) next = addDays(next, periodDays);
  return next;
}
