import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RootKeyError, loadOrCreateRootKey, parseRootKey } from '../../../main/core/keys/rootKey.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-root-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the store root key', () => {
  it('is created once with mode 0600 and read back unchanged', () => {
    const first = loadOrCreateRootKey(dir, {});
    expect(first.origin).toBe('created');
    expect(statSync(join(dir, 'root.key')).mode & 0o777).toBe(0o600);
    const again = loadOrCreateRootKey(dir, {});
    expect(again.origin).toBe('file');
    expect(again.key.equals(first.key)).toBe(true);
  });

  it('comes from COFFER_STORE_ROOT_KEY as hex or base64, and nothing else is written', () => {
    const key = Buffer.alloc(32, 9);
    expect(loadOrCreateRootKey(dir, { COFFER_STORE_ROOT_KEY: key.toString('hex') }).key.equals(key)).toBe(true);
    expect(loadOrCreateRootKey(dir, { COFFER_STORE_ROOT_KEY: key.toString('base64') }).key.equals(key)).toBe(true);
    expect(() => readFileSync(join(dir, 'root.key'))).toThrow();
  });

  it('refuses keys of the wrong size or encoding, without echoing them', () => {
    for (const bad of ['abc', Buffer.alloc(31).toString('base64'), 'z'.repeat(64)]) {
      expect(() => parseRootKey(bad, 'COFFER_STORE_ROOT_KEY')).toThrow(RootKeyError);
      try {
        parseRootKey(bad, 'COFFER_STORE_ROOT_KEY');
      } catch (err) {
        expect((err as Error).message).not.toContain(bad);
      }
    }
  });

  it('refuses a key file other users can read', () => {
    loadOrCreateRootKey(dir, {});
    chmodSync(join(dir, 'root.key'), 0o644);
    expect(() => loadOrCreateRootKey(dir, {})).toThrow(/chmod 600/);
  });
});
