// Shared fixtures for the vault tests: temp data dirs, a cheap scrypt cost, and an event recorder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '../../../../main/core/audit/auditEvent.js';
import type { KdfParams } from '../../../../main/core/keys/vault/index.js';

/** 2^10: fast enough for many unlocks per test; real vaults are calibrated to about 0.5 s. */
export const TEST_KDF: KdfParams = { algorithm: 'scrypt', N: 2 ** 10, r: 8, p: 1 };
export const PASSPHRASE = 'correct horse battery staple';
export const OTHER_PASSPHRASE = 'tr0ub4dor&3-but-longer';

export interface TempDirs {
  /** A fresh directory under the test's temp root. */
  make(name?: string): string;
  cleanup(): void;
}

export function tempDirs(): TempDirs {
  const root = mkdtempSync(join(tmpdir(), 'coffer-vault-'));
  let n = 0;
  return {
    make: (name = `dir${(n += 1)}`) => join(root, name),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function eventRecorder(): { events: AuditEvent[]; onEvent: (e: AuditEvent) => void; operations(): string[] } {
  const events: AuditEvent[] = [];
  return { events, onEvent: (e) => events.push(e), operations: () => events.map((e) => e.operation) };
}

/** The error `work` throws (fails the test if it does not throw). */
export async function caught(work: () => unknown): Promise<Error> {
  try {
    await work();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}
