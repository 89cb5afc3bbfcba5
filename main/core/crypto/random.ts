// The injectable source of random bytes used by every function that needs randomness.
import { randomBytes } from 'node:crypto';

/** Returns `byteLength` fresh random bytes. Tests inject a deterministic one to pin outputs. */
export type RandomSource = (byteLength: number) => Buffer;

/** The operating system's CSPRNG; the only source production code should use. */
export const systemRandom: RandomSource = (byteLength) => randomBytes(byteLength);
