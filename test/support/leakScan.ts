// Test support: bodies full of a recognisable marker, and a byte search of every file in a data dir for markers and secrets.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { filesUnder } from './blobFiles.js';

/** Bytes that must never be found on disk, with a name for failure messages (never the bytes themselves). */
export interface Needle {
  label: string;
  bytes: Buffer;
}

/** A marker no file holds by chance: a fixed prefix, the label and 16 random hex digits. */
export function plaintextMarker(label: string): Needle {
  return { label: `marker ${label}`, bytes: Buffer.from(`COFFER-PLAINTEXT-${label}-${randomBytes(8).toString('hex')}`) };
}

/**
 * A body of `bytes` bytes holding the marker again and again (at a stride that is not a power of
 * two, so it lands across segment boundaries too). A body shorter than the marker holds none of it.
 */
export function markedBody(marker: Needle, bytes: number): Buffer {
  const body = Buffer.alloc(bytes);
  for (let at = 0; at + marker.bytes.length <= bytes; at += marker.bytes.length + 7) marker.bytes.copy(body, at);
  return body;
}

/** Every form in which an SSE-C key travels or could be kept: raw, base64, hex, and its MD5 in each. */
export function customerKeyForms(label: string, raw: Buffer): Needle[] {
  const md5 = createHash('md5').update(raw).digest();
  return [
    { label: `${label} (raw)`, bytes: raw },
    { label: `${label} (base64)`, bytes: Buffer.from(raw.toString('base64')) },
    { label: `${label} (hex)`, bytes: Buffer.from(raw.toString('hex')) },
    { label: `${label} MD5 (raw)`, bytes: md5 },
    { label: `${label} MD5 (base64)`, bytes: Buffer.from(md5.toString('base64')) },
    { label: `${label} MD5 (hex)`, bytes: Buffer.from(md5.toString('hex')) },
  ];
}

/** Raw and base64 forms of a data key. */
export function keyForms(label: string, raw: Buffer): Needle[] {
  return [
    { label: `${label} (raw)`, bytes: raw },
    { label: `${label} (base64)`, bytes: Buffer.from(raw.toString('base64')) },
  ];
}

/** A file's bytes, or none if it was removed since the directory was listed (a replaced blob unlinked late). */
function readIfPresent(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  }
}

/** "<file relative to dir>: <needle label>" for every needle found in every file under `dir`; empty when clean. */
export function findNeedles(dir: string, needles: readonly Needle[]): string[] {
  return filesUnder(dir).flatMap((file) => {
    const bytes = readIfPresent(file);
    return needles.filter((n) => bytes.includes(n.bytes)).map((n) => `${relative(dir, file)}: ${n.label}`);
  });
}
