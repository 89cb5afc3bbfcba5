// A real synced folder and a real local index in temp dirs, with helpers to shape the folder's files.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LocalIndex } from '../../../../main/core/sync/index/localIndex.js';
import type { ScanOptions } from '../../../../main/core/sync/scan/scanTypes.js';

export const FOLDER = 'folder-1';

export class ScanFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'coffer-scan-'));
  readonly root = join(this.dir, 'synced');
  readonly dataDir = join(this.dir, 'data');
  readonly index: LocalIndex;

  constructor() {
    mkdirSync(this.root);
    mkdirSync(this.dataDir);
    this.index = LocalIndex.open(this.dataDir);
  }

  options(extra: Partial<ScanOptions> = {}): ScanOptions {
    return { index: this.index, folderId: FOLDER, ...extra };
  }

  abs(path: string): string {
    return join(this.root, path);
  }

  /** Writes a file (creating parent directories) and returns its absolute path. */
  write(path: string, content: string | Buffer): string {
    const file = this.abs(path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  /** Moves a file's mtime by `deltaMs` so a rescan must notice it even within one clock tick. */
  shiftMtime(path: string, deltaMs: number): void {
    const stats = statSync(this.abs(path));
    const when = new Date(stats.mtimeMs + deltaMs);
    utimesSync(this.abs(path), when, when);
  }

  cleanup(): void {
    if (this.index.db.open) this.index.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
