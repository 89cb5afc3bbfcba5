// Read-ahead over a blob: which reads it starts, which buffers it hands back, and that every byte still comes from where it was asked.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { withReadAhead, type Reads } from '../../../../main/core/store/storage/fileBlobReader.js';

const MIB = 1024 * 1024;

/** An in-memory blob whose reads finish only when the test lets them, recording what was asked and recycled. */
class HeldReads {
  readonly data: Buffer;
  readonly asked: Array<[number, number]> = [];
  readonly recycled: Buffer[] = [];
  closed = false;
  private readonly held: Array<() => void> = [];

  constructor(size: number) {
    this.data = randomBytes(size);
  }

  reads(): Reads {
    return {
      readAt: (position, length) => {
        this.asked.push([position, length]);
        return new Promise((resolve) => this.held.push(() => resolve(Buffer.from(this.data.subarray(position, position + length)))));
      },
      recycle: (buffer) => this.recycled.push(buffer),
      close: async () => {
        this.closed = true;
      },
    };
  }

  /** Finishes every read started so far. */
  releaseAll(): void {
    for (const finish of this.held.splice(0)) finish();
  }
}

async function readNow(held: HeldReads, blob: ReturnType<typeof withReadAhead>, position: number, length: number): Promise<Buffer> {
  const pending = blob.read(position, length);
  held.releaseAll();
  return pending;
}

describe('read-ahead over a blob', () => {
  it('keeps the next two reads of a sequential scan in flight, and none past the end', async () => {
    const held = new HeldReads(5 * MIB + 100);
    const blob = withReadAhead(held.data.length, held.reads());
    const out: Buffer[] = [];
    for (let at = 0; at < held.data.length; at += MIB) {
      out.push(await readNow(held, blob, at, Math.min(MIB, held.data.length - at)));
      if (at === MIB) {
        // The second read is the first in sequence: it starts the two after it.
        expect(held.asked.slice(-2)).toEqual([
          [2 * MIB, MIB],
          [3 * MIB, MIB],
        ]);
      }
    }
    expect(Buffer.concat(out).equals(held.data)).toBe(true);
    // Each range was read once: the scan's reads were the ones started ahead.
    expect(held.asked).toEqual([0, 1, 2, 3, 4, 5].map((i) => [i * MIB, i === 5 ? 100 : MIB]));
    await blob.close();
    expect(held.closed).toBe(true);
  });

  it('hands back the reads started ahead when the reader goes elsewhere, and reads where it went', async () => {
    const held = new HeldReads(8 * MIB);
    const blob = withReadAhead(held.data.length, held.reads());
    await readNow(held, blob, 0, MIB);
    await readNow(held, blob, MIB, MIB); // starts 2 and 3 MiB ahead
    const jumped = await readNow(held, blob, 6 * MIB, 1000);
    expect(jumped.equals(held.data.subarray(6 * MIB, 6 * MIB + 1000))).toBe(true);
    await new Promise((resolve) => setImmediate(resolve)); // the unused reads' buffers go back once they finish
    expect(held.recycled.map((b) => b.equals(held.data.subarray(2 * MIB, 3 * MIB)) || b.equals(held.data.subarray(3 * MIB, 4 * MIB)))).toEqual([true, true]);
    // Not sequential: nothing is started ahead of a jump.
    expect(held.asked.at(-1)).toEqual([6 * MIB, 1000]);
    await blob.close();
  });

  it('waits for reads still running before it closes the file, and hands their buffers back', async () => {
    const held = new HeldReads(8 * MIB);
    const blob = withReadAhead(held.data.length, held.reads());
    await readNow(held, blob, 0, MIB);
    void blob.read(MIB, MIB); // a scan stopped here, with two reads ahead still running
    const closing = blob.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(held.closed).toBe(false);
    held.releaseAll();
    await closing;
    expect(held.closed).toBe(true);
    expect(held.recycled).toHaveLength(2);
  });
});
