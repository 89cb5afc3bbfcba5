// Passphrase to unlock key with scrypt (RFC 7914), and the calibration that picks its cost on this machine.
import { scrypt, type ScryptOptions } from 'node:crypto';

/** scrypt's cost: N (CPU/memory, a power of two), r (block size), p (parallelism). */
export interface KdfParams {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
}

/** The least a calibrated vault uses, whatever the machine: 2^15 with r=8 is 32 MiB per guess. */
export const KDF_FLOOR: KdfParams = { algorithm: 'scrypt', N: 2 ** 15, r: 8, p: 1 };
/** Calibration stops here: 2^20 with r=8 needs 1 GiB, more than a small machine can spare. */
export const KDF_MAX_CALIBRATED_N = 2 ** 20;
/** What an unlock should cost on the machine that creates the vault (milliseconds). */
export const KDF_TARGET_MS = 500;
export const KDF_SALT_BYTES = 16;
export const UNLOCK_KEY_BYTES = 32;

/** scrypt needs 128·N·r bytes; a file asking for more than 2 GiB is refused rather than allowed to exhaust memory. */
const MAX_KDF_MEMORY_BYTES = 2 ** 31;

/** RangeError for parameters scrypt refuses or that no vault should hold (N a power of two, r 1..64, p 1..16, at most 2 GiB). */
export function assertKdfParams(params: KdfParams): void {
  const { N, r, p } = params;
  const powerOfTwo = Number.isSafeInteger(N) && N >= 2 && (N & (N - 1)) === 0;
  const sane = params.algorithm === 'scrypt' && powerOfTwo && Number.isInteger(r) && r >= 1 && r <= 64 && Number.isInteger(p) && p >= 1 && p <= 16;
  if (!sane || 128 * N * r > MAX_KDF_MEMORY_BYTES) {
    throw new RangeError('scrypt parameters must be N a power of two, r 1..64, p 1..16, needing at most 2 GiB');
  }
}

/**
 * The 32-byte unlock key for `passphrase` (NFC-normalised, so the same words typed on another
 * system give the same key). Runs on libuv's thread pool, so a 0.5 s unlock never stalls the loop.
 */
export function deriveUnlockKey(passphrase: string, params: KdfParams, salt: Buffer): Promise<Buffer> {
  assertKdfParams(params);
  // Node refuses scrypt above 32 MiB unless told; allow what these parameters need, with room.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(passphrase.normalize('NFC'), 'utf8'), salt, UNLOCK_KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

let calibrated: KdfParams | undefined;

/**
 * The floor's r and p with the N whose cost is nearest `targetMs` here (by doubling steps),
 * never below the floor nor above KDF_MAX_CALIBRATED_N. Measured once per process.
 */
export async function calibrateKdf(targetMs = KDF_TARGET_MS): Promise<KdfParams> {
  if (calibrated && targetMs === KDF_TARGET_MS) return calibrated;
  const salt = Buffer.alloc(KDF_SALT_BYTES);
  await deriveUnlockKey('calibration', KDF_FLOOR, salt); // warms the thread pool and allocator
  const started = process.hrtime.bigint();
  await deriveUnlockKey('calibration', KDF_FLOOR, salt);
  const floorMs = Math.max(Number(process.hrtime.bigint() - started) / 1e6, 0.001);
  // Cost grows linearly with N: round the doublings needed in log space.
  const doublings = Math.max(0, Math.round(Math.log2(targetMs / floorMs)));
  const N = Math.min(KDF_FLOOR.N * 2 ** doublings, KDF_MAX_CALIBRATED_N);
  const params: KdfParams = { ...KDF_FLOOR, N };
  if (targetMs === KDF_TARGET_MS) calibrated = params;
  return params;
}
