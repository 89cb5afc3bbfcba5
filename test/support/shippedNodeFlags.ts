// The node flags bin/coffer.js asks for on its first line, so tests and benchmarks start `coffer` as a shell would.
import { readFileSync } from 'node:fs';

/**
 * Reads `#!/usr/bin/env -S node --flag ...` and returns the flags after `node`. Tests and benchmarks
 * run `process.execPath bin/coffer.js`, which skips the shebang; passing these keeps them on the
 * runtime a user's `coffer` gets.
 */
export function shippedNodeFlags(bin: string): string[] {
  const firstLine = readFileSync(bin, 'utf8').split('\n', 1)[0] ?? '';
  const words = firstLine.replace(/^#!\s*/, '').split(/\s+/).filter((w) => w !== '');
  const node = words.findIndex((w) => w === 'node' || w.endsWith('/node'));
  if (node < 0) throw new Error(`${bin}: the first line does not run node: ${firstLine}`);
  return words.slice(node + 1);
}
