// The large object's bytes: one random 1 MiB block repeated, generated on the fly and checked on the way back.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export const BLOCK_BYTES = 1024 * 1024;

export class Pattern {
  readonly block = randomBytes(BLOCK_BYTES);

  /** A stream of `total` bytes: the block repeated, the last one cut short. No copies are made. */
  source(total: number): Readable {
    let sent = 0;
    const block = this.block;
    return new Readable({
      highWaterMark: 4 * BLOCK_BYTES,
      read() {
        while (sent < total) {
          const take = Math.min(BLOCK_BYTES, total - sent);
          sent += take;
          if (!this.push(take === BLOCK_BYTES ? block : block.subarray(0, take))) return;
        }
        this.push(null);
      },
    });
  }

  /** MD5 (hex) of `total` pattern bytes, computed before any timing starts. */
  md5(total: number): string {
    const hash = createHash('md5');
    for (let done = 0; done < total; done += BLOCK_BYTES) hash.update(this.block.subarray(0, Math.min(BLOCK_BYTES, total - done)));
    return hash.digest('hex');
  }

  /**
   * A sink that checks every received byte against the pattern (memcmp, far cheaper than a hash)
   * and counts them. `mismatch()` names the first offset that differed, if any.
   */
  verifier(): { onData: (chunk: Buffer) => void; received: () => number; mismatch: () => number | undefined } {
    let offset = 0;
    let bad: number | undefined;
    const block = this.block;
    return {
      onData: (chunk) => {
        let at = 0;
        while (at < chunk.length) {
          const inBlock = offset % BLOCK_BYTES;
          const take = Math.min(chunk.length - at, BLOCK_BYTES - inBlock);
          if (bad === undefined && chunk.compare(block, inBlock, inBlock + take, at, at + take) !== 0) bad = offset;
          at += take;
          offset += take;
        }
      },
      received: () => offset,
      mismatch: () => bad,
    };
  }
}
