// This machine's single-core ceilings for the store's two bulk transforms (AES-256-GCM and MD5), and its disk.
import { createCipheriv, createHash, randomBytes, randomFillSync } from 'node:crypto';
import { closeSync, constants as fsConstants, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AlignedBufferPool } from '../../main/core/store/storage/alignedBuffers.js';
import { directCreateFlags } from '../../main/core/store/storage/directIo.js';

const MIB = 1024 * 1024;
const SEGMENT_BYTES = 64 * 1024;

/** Runs `step` (which processes `bytesPerStep`) repeatedly for about `seconds`; MiB/s. */
function rate(seconds: number, bytesPerStep: number, step: () => void): number {
  for (let i = 0; i < 8; i++) step(); // warm up
  let bytes = 0;
  const started = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < limit) {
    for (let i = 0; i < 16; i++) step();
    bytes += 16 * bytesPerStep;
    elapsed = process.hrtime.bigint() - started;
  }
  return bytes / MIB / (Number(elapsed) / 1e9);
}

export interface MachineLimits {
  /** AES-256-GCM encryption as the store does it: a fresh cipher per 64 KiB segment, tag included. */
  aesGcmMiBps: number;
  /** MD5 over 1 MiB updates into one running hash (the SSE-S3 ETag). */
  md5MiBps: number;
  /** Writing random bytes to a new file in 1 MiB writes, then one fsync: what a durable large PUT can reach. */
  diskMiBps: number;
  diskMiB: number;
  /**
   * CPU (user + system) per MiB of that probe, nearly all of it the kernel's write path. A durable
   * PUT pays it on the same cores as its hashing and encryption, and it moves a lot between runs
   * here (0.33 and 2.83 ms per MiB in two runs five minutes apart; MD5 alone is about 1.4 to 1.5).
   */
  diskCpuMsPerMiB: number;
  /** The same with O_DIRECT from an aligned buffer, as the store writes large blobs (undefined where refused). */
  directDiskMiBps: number | undefined;
  directDiskCpuMsPerMiB: number | undefined;
}

/**
 * Sequential write + fsync of `mib` MiB of incompressible data into `dir`: MiB/s including the fsync,
 * and CPU ms per MiB. With `direct`, the file is opened with O_DIRECT and written from an aligned
 * buffer, as the store writes large blobs; undefined where the file system refuses that.
 */
function diskRate(dir: string, mib: number, direct: boolean): { mibps: number; cpuMsPerMiB: number } | undefined {
  const file = join(dir, direct ? 'disk-probe-direct.bin' : 'disk-probe.bin');
  const flags = direct ? directCreateFlags() : fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL;
  const block = direct ? new AlignedBufferPool(MIB, 0).acquire() : Buffer.allocUnsafeSlow(MIB);
  if (flags === undefined || block === undefined) return undefined;
  randomFillSync(block);
  let fd: number;
  try {
    fd = openSync(file, flags, 0o600);
  } catch {
    return undefined;
  }
  try {
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < mib; i++) {
      block.writeUInt32LE(i, 0); // every block differs, so nothing below can deduplicate it
      writeSync(fd, block, 0, MIB, i * MIB);
    }
    fsyncSync(fd);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // The writes run on this thread (writeSync), so the process's CPU over the loop is theirs.
    const cpu = process.cpuUsage(cpuBefore);
    return { mibps: mib / seconds, cpuMsPerMiB: (cpu.user + cpu.system) / 1e3 / mib };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
}

export function measureMachineLimits(diskDir: string, diskMiB: number, seconds = 1.5): MachineLimits {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const block = randomBytes(MIB);
  const segments = Array.from({ length: MIB / SEGMENT_BYTES }, (_, i) => block.subarray(i * SEGMENT_BYTES, (i + 1) * SEGMENT_BYTES));
  const aesGcmMiBps = rate(seconds, MIB, () => {
    for (const segment of segments) {
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.update(segment);
      cipher.final();
      cipher.getAuthTag();
    }
  });
  const md5 = createHash('md5');
  const md5MiBps = rate(seconds, MIB, () => md5.update(block));
  md5.digest();
  const disk = diskRate(diskDir, diskMiB, false)!;
  const direct = diskRate(diskDir, diskMiB, true);
  return {
    aesGcmMiBps,
    md5MiBps,
    diskMiBps: disk.mibps,
    diskMiB,
    diskCpuMsPerMiB: disk.cpuMsPerMiB,
    directDiskMiBps: direct?.mibps,
    directDiskCpuMsPerMiB: direct?.cpuMsPerMiB,
  };
}
