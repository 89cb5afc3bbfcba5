// A conflict that could not be resolved this cycle waits for the next one instead of making the folder run again at once.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBucket } from '../../../../main/core/sync/remote/memoryBucket.js';
import { RemoteError } from '../../../../main/core/sync/remote/objectStore.js';
import { openMemoryDevice, type MemoryDevice } from './memoryDevice.js';

let devices: MemoryDevice[] = [];

afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
});

function device(name: string, bucket: MemoryBucket): MemoryDevice {
  const opened = openMemoryDevice(name, bucket);
  devices.push(opened);
  return opened;
}

/** Both devices synced plan.txt, then each edited it: the desktop's next cycle meets a conflict. */
async function editedOnBoth(): Promise<{ bucket: MemoryBucket; b: MemoryDevice }> {
  const bucket = new MemoryBucket({ exists: true });
  const a = device('laptop', bucket);
  const b = device('desktop', bucket);
  a.write('plan.txt', 'v1');
  await a.cycle();
  await b.cycle();
  a.write('plan.txt', 'v2 from the laptop');
  await a.cycle();
  b.write('plan.txt', 'v2 from the desktop');
  return { bucket, b };
}

describe('a conflict skipped by a failed transfer', () => {
  it('ends the request after one cycle; the next request resolves it', async () => {
    const { bucket, b } = await editedOnBoth();
    // One failure only: a folder that cycled again at once would resolve the conflict within this same request.
    bucket.injectFault('GetObject', new RemoteError('GetObject failed (injected)', 'skip', 'InternalError', 500));
    const gets = bucket.requests('GetObject');

    const failed = await b.cycle();
    expect(failed?.skipped).toEqual([{ path: 'plan.txt', message: 'GetObject failed (injected)' }]);
    expect(bucket.requests('GetObject')).toBe(gets + 1);
    // The local edit already moved to its conflict copy; the remote version is not here yet.
    const [copy, ...others] = readdirSync(b.root);
    expect(others).toEqual([]);
    expect(copy).toMatch(/^plan \(conflict .* on desktop\)\.txt$/);
    expect(readFileSync(join(b.root, copy!), 'utf8')).toBe('v2 from the desktop');

    const resolved = await b.cycle();
    expect(resolved?.skipped).toEqual([]);
    expect(readdirSync(b.root).sort()).toEqual([copy, 'plan.txt'].sort());
    expect(readFileSync(join(b.root, 'plan.txt'), 'utf8')).toBe('v2 from the laptop');
    expect(bucket.objects.get(copy!)?.body.toString('utf8')).toBe('v2 from the desktop');
  });

  it('a resolved conflict still makes the folder run once more in the same request, which uploads the conflict copy', async () => {
    const { bucket, b } = await editedOnBoth();
    const outcome = await b.cycle();
    expect(outcome?.skipped).toEqual([]);
    // The request's last cycle is the follow-up one, whose only work is the copy the conflict made.
    expect(outcome?.actions).toEqual([{ type: 'upload', path: expect.stringMatching(/^plan \(conflict .* on desktop\)\.txt$/), reason: 'new' }]);
    expect(readFileSync(join(b.root, 'plan.txt'), 'utf8')).toBe('v2 from the laptop');
    expect((await b.cycle())?.actions).toEqual([]);
    expect(bucket.objects.size).toBe(2);
  });
});
