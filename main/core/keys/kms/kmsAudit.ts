// One audit event per KMS use or administration, success or failure, shaped like AWS's CloudTrail records.
import type { AuditCategory, AuditEvent, AuditOutcome } from '../../audit/auditEvent.js';
import { newUuid } from './identifiers.js';
import { KmsError } from './kmsError.js';
import type { KmsContext } from './kmsContext.js';
import type { KmsActor } from './kmsTypes.js';

/** CloudTrail's record version as of the 2025 KMS examples. */
const EVENT_VERSION = '1.11';

export interface AuditSpec {
  category: Extract<AuditCategory, 'kms' | 'admin'>;
  /** The KMS eventName: GenerateDataKey, Decrypt, CreateKey, RotateKey, DeleteKey… */
  eventName: string;
  actor: KmsActor | undefined;
  /** Values as the caller sent them. Only ids, names, numbers and the (non-secret) encryption context. */
  requestParameters: Record<string, unknown> | null;
  /** AwsServiceEvent for what the KMS does by itself (scheduled rotation and deletion). */
  eventType?: 'AwsApiCall' | 'AwsServiceEvent';
  readOnly?: boolean;
  /** The region the affected key lives in, when it is not the caller's (scheduled work covers all regions). */
  region?: string;
}

/** Filled in while the operation runs, so a failure after the key was found still names it. */
export interface AuditNote {
  keyArn?: string;
  keyMaterialId?: string;
  responseElements?: Record<string, unknown>;
  serviceEventDetails?: Record<string, unknown>;
}

/** Seconds precision with a Z suffix, as CloudTrail writes eventTime. */
function cloudTrailTime(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}

function outcomeOf(error: KmsError | undefined): AuditOutcome {
  if (!error) return 'success';
  return error.code === 'AccessDeniedException' || error.code === 'NotAuthorizedException' ? 'denied' : 'failure';
}

export function recordKmsEvent(ctx: KmsContext, spec: AuditSpec, note: AuditNote, error?: KmsError, at: Date = ctx.now()): void {
  const actor = spec.actor ?? {};
  const requestId = actor.requestId ?? newUuid(ctx.random);
  const service = spec.eventType === 'AwsServiceEvent';
  const details: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    eventTime: cloudTrailTime(at),
    eventSource: 'kms.amazonaws.com',
    eventName: spec.eventName,
    awsRegion: spec.region ?? ctx.region,
    userIdentity: service ? { accountId: ctx.accountId, invokedBy: 'kms.amazonaws.com' } : { accountId: ctx.accountId, principalId: actor.principal ?? 'anonymous' },
    sourceIPAddress: actor.sourceIp ?? (service ? 'kms.amazonaws.com' : undefined),
    userAgent: actor.userAgent ?? (service ? 'kms.amazonaws.com' : undefined),
    requestParameters: spec.requestParameters,
    // Never the plaintext or the ciphertext blob: AWS logs null here for data key operations too.
    responseElements: error ? null : (note.responseElements ?? null),
    additionalEventData: note.keyMaterialId ? { keyMaterialId: note.keyMaterialId } : undefined,
    serviceEventDetails: note.serviceEventDetails,
    requestID: requestId,
    eventID: newUuid(ctx.random),
    readOnly: spec.readOnly ?? false,
    resources: note.keyArn ? [{ ARN: note.keyArn, accountId: ctx.accountId, type: 'AWS::KMS::Key' }] : [],
    eventType: spec.eventType ?? 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ctx.accountId,
    eventCategory: 'Management',
    errorCode: error?.code,
    errorMessage: error?.message,
  };
  const event: AuditEvent = {
    time: at,
    category: spec.category,
    operation: spec.eventName,
    outcome: outcomeOf(error),
    requestId,
    principal: actor.principal,
    sourceIp: actor.sourceIp,
    userAgent: actor.userAgent,
    keyId: note.keyArn,
    keyVersion: note.keyMaterialId,
    errorCode: error?.code,
    errorMessage: error?.message,
    details: Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)),
  };
  ctx.audit.record(event);
}

/**
 * Runs one audited operation: records success after it returns (after its transaction has
 * committed) or failure when it throws, then rethrows. Errors that are not KmsErrors are
 * recorded as KMSInternalException without their text, which could come from anywhere.
 */
export function audited<T>(ctx: KmsContext, spec: AuditSpec, run: (note: AuditNote) => T): T {
  const note: AuditNote = {};
  let result: T;
  try {
    result = run(note);
  } catch (err) {
    const error = err instanceof KmsError ? err : new KmsError('KMSInternalException', 'The request was rejected because an internal exception occurred.');
    recordKmsEvent(ctx, spec, note, error);
    throw err;
  }
  recordKmsEvent(ctx, spec, note);
  return result;
}
