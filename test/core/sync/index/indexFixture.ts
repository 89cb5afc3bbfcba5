// A LocalIndex on a real index.sqlite in a fresh temp dir, with a clock the test moves by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalIndex } from '../../../../main/core/sync/index/localIndex.js';

export class IndexFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'coffer-index-'));
  clock = 1_000;
  index: LocalIndex = this.open();

  /** Closes and reopens the file, as a restart would. */
  reopen(): LocalIndex {
    this.index.close();
    this.index = this.open();
    return this.index;
  }

  cleanup(): void {
    if (this.index.db.open) this.index.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private open(): LocalIndex {
    return LocalIndex.open(this.dir, { now: () => this.clock });
  }
}

export function openIndexFixture(): IndexFixture {
  return new IndexFixture();
}
