// Each database's SQLite page cache: the build's 16 MiB unless the opener asks for less, and the store's own files ask.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditDatabase } from '../../../main/core/audit/auditDatabase.js';
import { openDatabase } from '../../../main/core/db/openDatabase.js';
import { openKmsDatabase } from '../../../main/core/keys/kms/index.js';
import { openStoreServices } from '../../../main/core/store/storeServices.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-page-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** cache_size as SQLite reports it: negative numbers are KiB. */
function cacheKiB(db: { pragma(source: string, options: { simple: true }): unknown }): number {
  return -(db.pragma('cache_size', { simple: true }) as number);
}

describe('SQLite page cache per database', () => {
  it('keeps the build default unless the opener sets one', () => {
    const plain = openDatabase(join(dir, 'plain.db'), { migrations: [] });
    const small = openDatabase(join(dir, 'small.db'), { migrations: [], cacheKiB: 512 });
    try {
      expect(cacheKiB(plain)).toBe(16000);
      expect(cacheKiB(small)).toBe(512);
    } finally {
      plain.close();
      small.close();
    }
  });

  it('gives the store metadata 4 MiB and the access history and the KMS 1 MiB each', async () => {
    const services = await openStoreServices({
      dataDir: dir,
      region: 'us-east-1',
      credentials: [{ accessKeyId: 'PAGECACHETEST0000001', secretAccessKey: 'page-cache-test-secret' }],
      allowInsecureSseC: false,
      virtualHostDomains: [],
      masterKeyRotationDays: 90,
      rootKey: Buffer.alloc(32, 3),
    });
    try {
      expect(cacheKiB(services.db)).toBe(4096);
      const audit = openAuditDatabase(join(dir, 'audit.db'));
      const kms = openKmsDatabase(dir);
      try {
        expect(cacheKiB(audit)).toBe(1024);
        expect(cacheKiB(kms)).toBe(1024);
      } finally {
        audit.close();
        kms.close();
      }
    } finally {
      await services.close();
    }
  });
});
