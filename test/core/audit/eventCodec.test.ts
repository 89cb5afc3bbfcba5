// Canonical JSON, secret-named fields and event encoding: what may reach the log, byte for byte.
import { describe, expect, it } from 'vitest';
import { UnloggableEventError, canonicalJson } from '../../../main/core/audit/canonicalJson.js';
import { STORED_FIELDS, columnsOf, decodeEvent, encodeEvent } from '../../../main/core/audit/eventCodec.js';
import { isSecretFieldName } from '../../../main/core/audit/secretFields.js';
import type { AuditEvent } from '../../../main/core/audit/auditEvent.js';
import { sampleEvent } from './helpers.js';

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof UnloggableEventError ? err.reason : 'other';
  }
}

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined and writes dates as ISO strings', () => {
    const json = canonicalJson({ b: 1, a: { z: [3, undefined, 'x'], y: undefined, c: true }, t: new Date(Date.UTC(2025, 0, 2)) });
    expect(json).toBe('{"a":{"c":true,"z":[3,null,"x"]},"b":1,"t":"2025-01-02T00:00:00.000Z"}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('refuses raw bytes, non-finite numbers, bigints, class instances and deep nesting', () => {
    expect(reason(() => canonicalJson({ k: Buffer.alloc(32) }))).toBe('unserializable');
    expect(reason(() => canonicalJson({ n: Number.NaN }))).toBe('unserializable');
    expect(reason(() => canonicalJson({ n: 1n }))).toBe('unserializable');
    expect(reason(() => canonicalJson({ m: new Map() }))).toBe('unserializable');
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20; i += 1) deep = deep.next = {};
    expect(reason(() => canonicalJson(root))).toBe('unserializable');
  });
});

describe('secret field names', () => {
  it.each(['secretAccessKey', 'SecretAccessKey', 'secret_access_key', 'plaintext', 'Plaintext', 'customerKey', 'sseCustomerKey', 'passphrase', 'password', 'x-amz-server-side-encryption-customer-key', 'rootKey', 'privateKey', 'plaintextBase64'])(
    '%s is a secret',
    (name) => expect(isSecretFieldName(name)).toBe(true),
  );

  it.each(['keyId', 'keyVersion', 'keyMaterialId', 'rootKeyOrigin', 'dataKeySpec', 'x-amz-server-side-encryption-customer-key-MD5', 'accessKeyId', 'encryptionContext', 'bucketName', 'key'])(
    '%s is not',
    (name) => expect(isSecretFieldName(name)).toBe(false),
  );
});

describe('encodeEvent', () => {
  it('round-trips an event and derives the indexed columns from it', () => {
    const event = sampleEvent(8);
    const encoded = encodeEvent(event);
    expect(decodeEvent(encoded.json)).toEqual(event);
    expect(encoded.columns).toEqual(columnsOf(event));
    expect(encoded.columns.slice(0, 4)).toEqual([event.time.getTime(), 's3', event.operation, 'success']);
  });

  it('writes exactly the canonical JSON of the stored fields (the fast path agrees with canonicalJson)', () => {
    expect([...STORED_FIELDS]).toEqual([...STORED_FIELDS].sort());
    for (const event of [sampleEvent(8), sampleEvent(10), sampleEvent(57), sampleEvent(1, { details: { z: 1, a: [{ y: 2, b: 'é' }] }, errorMessage: 'quote " and \\ backslash' })]) {
      const picked = Object.fromEntries(STORED_FIELDS.map((f) => [f, event[f]]));
      expect(encodeEvent(event).json).toBe(canonicalJson(picked));
    }
  });

  it('snapshots the event: later changes by the caller do not reach the log', () => {
    const event = sampleEvent(3, { details: { note: 'before' } });
    const { json } = encodeEvent(event);
    (event.details as Record<string, unknown>).note = 'after';
    expect(json).toContain('before');
  });

  it('refuses secret-named fields anywhere, including top-level extras', () => {
    expect(reason(() => encodeEvent(sampleEvent(1, { details: { requestParameters: { secretAccessKey: 'x' } } })))).toBe('secret-field');
    expect(reason(() => encodeEvent({ ...sampleEvent(1), plaintext: 'x' } as AuditEvent))).toBe('secret-field');
    expect(reason(() => encodeEvent(sampleEvent(1, { details: { headers: [{ passphrase: 'x' }] } })))).toBe('secret-field');
  });

  it('refuses malformed events', () => {
    expect(reason(() => encodeEvent(sampleEvent(1, { time: new Date('nope') })))).toBe('invalid');
    expect(reason(() => encodeEvent(sampleEvent(1, { category: 'web' as 's3' })))).toBe('invalid');
    expect(reason(() => encodeEvent(sampleEvent(1, { operation: '' })))).toBe('invalid');
    expect(reason(() => encodeEvent(sampleEvent(1, { httpStatus: 200.5 })))).toBe('invalid');
    expect(reason(() => encodeEvent(sampleEvent(1, { details: { blob: 'x'.repeat(70_000) } })))).toBe('invalid');
  });
});
