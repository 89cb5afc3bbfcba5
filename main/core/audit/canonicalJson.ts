// Canonical JSON for hashing: sorted keys, no whitespace, no undefined, and no value that could hide a secret.
import { isSecretFieldName } from './secretFields.js';

export type UnloggableReason = 'secret-field' | 'unserializable' | 'invalid';

/** Thrown while encoding an event the log refuses to store; the log counts it and never rethrows. */
export class UnloggableEventError extends Error {
  constructor(
    readonly reason: UnloggableReason,
    message: string,
  ) {
    super(message);
    this.name = 'UnloggableEventError';
  }
}

/** Nesting limit: deeper values are refused, which also stops cyclic objects. */
const MAX_DEPTH = 16;

/**
 * Object keys are sorted by UTF-16 code units and numbers use ECMAScript's shortest form, as in
 * RFC 8785 (JCS), so one event always hashes to the same bytes. Dates become ISO-8601 strings.
 * Refused: a key named like a secret (see secretFields.ts), binary values (raw bytes in an audit
 * event are almost always key material), non-finite numbers, bigint, functions, symbols, and
 * class instances other than Date and Array.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, 0, '$');
}

function encode(value: unknown, depth: number, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new UnloggableEventError('unserializable', `${path} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new UnloggableEventError('unserializable', `${path} is a ${typeof value}, which cannot be logged`);
  }
  if (depth >= MAX_DEPTH) throw new UnloggableEventError('unserializable', `${path} is nested too deeply`);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new UnloggableEventError('unserializable', `${path} is an invalid date`);
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => (item === undefined ? 'null' : encode(item, depth + 1, `${path}[${i}]`))).join(',')}]`;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    throw new UnloggableEventError('unserializable', `${path} holds raw bytes, which are never logged`);
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new UnloggableEventError('unserializable', `${path} is not a plain object`);
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (isSecretFieldName(key)) throw new UnloggableEventError('secret-field', `${path} has a field named like a secret`);
    const item = record[key];
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${encode(item, depth + 1, `${path}.${key}`)}`);
  }
  return `{${parts.join(',')}}`;
}
