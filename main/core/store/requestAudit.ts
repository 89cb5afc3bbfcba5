// One access-history event per store request: who, from where, what, on which object, with which key, and how it ended.
import type { IncomingMessage } from 'node:http';
import type { AuditEvent } from '../audit/auditEvent.js';
import type { AuditNote } from './requestContext.js';

export interface RequestFacts {
  requestId: string;
  receivedAt: Date;
  req: IncomingMessage;
  /** The client's address, read when the request arrived. */
  sourceIp: string | undefined;
  /** The verified access key; undefined when authentication failed. */
  principal: string | undefined;
  operation: string | undefined;
  bucket: string | undefined;
  key: string | undefined;
  status: number;
  errorCode: string | undefined;
  errorMessage: string | undefined;
  note: AuditNote;
}

/** 403s are refusals (a signature, a policy, a wrong SSE-C key); other 4xx/5xx are failures. */
function outcomeOf(status: number): AuditEvent['outcome'] {
  if (status < 400) return 'success';
  return status === 403 ? 'denied' : 'failure';
}

export function requestEvent(facts: RequestFacts): AuditEvent {
  const userAgent = facts.req.headers['user-agent'];
  return {
    time: facts.receivedAt,
    category: 's3',
    operation: facts.operation ?? 'Unknown',
    outcome: outcomeOf(facts.status),
    requestId: facts.requestId,
    principal: facts.principal ?? 'anonymous',
    sourceIp: facts.sourceIp,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 256) : undefined,
    bucket: facts.bucket,
    objectKey: facts.key,
    sseMode: facts.note.sseMode,
    keyId: facts.note.keyId,
    keyVersion: facts.note.keyVersion,
    bytes: facts.note.bytes,
    httpStatus: facts.status,
    errorCode: facts.errorCode,
    // S3 error texts never carry key material (errors.ts); they help a reader see why.
    errorMessage: facts.errorMessage,
  };
}
