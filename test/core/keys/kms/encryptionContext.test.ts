import { describe, expect, it } from 'vitest';
import { assertEncryptionContext, canonicalContext } from '../../../../main/core/keys/kms/encryptionContext.js';
import { KmsError } from '../../../../main/core/keys/kms/kmsError.js';

describe('the canonical encryption context', () => {
  it('is JSON with keys sorted, whatever order they were given in', () => {
    expect(canonicalContext({ b: '2', a: '1' }).toString()).toBe('{"a":"1","b":"2"}');
    expect(canonicalContext({ a: '1', b: '2' }).equals(canonicalContext({ b: '2', a: '1' }))).toBe(true);
    expect(canonicalContext().toString()).toBe('{}');
  });

  it('sorts integer-like keys as text and astral characters by code point', () => {
    expect(canonicalContext({ '2': 'x', '10': 'y', a: 'z' }).toString()).toBe('{"10":"y","2":"x","a":"z"}');
    // U+1F600 (astral) sorts after U+FF5E by code point, though its UTF-16 form sorts first.
    expect(canonicalContext({ '\u{1F600}': '1', '\uFF5E': '2' }).toString()).toBe('{"\uFF5E":"2","\u{1F600}":"1"}');
  });

  it('is case-sensitive and escapes quotes, so distinct maps never collide', () => {
    expect(canonicalContext({ A: 'x' }).equals(canonicalContext({ a: 'x' }))).toBe(false);
    expect(canonicalContext({ 'a":"b': 'c' }).equals(canonicalContext({ a: 'b":"c' }))).toBe(false);
  });

  it('accepts only string-to-string maps', () => {
    expect(() => assertEncryptionContext({ a: 'b' })).not.toThrow();
    for (const bad of [null, 'x', ['a'], { a: 1 }, { a: null }]) expect(() => assertEncryptionContext(bad)).toThrow(KmsError);
  });
});
