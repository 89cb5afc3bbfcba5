import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../main/core/crypto/random.js';

describe('systemRandom', () => {
  it('returns the requested number of bytes, fresh each call', () => {
    const a = systemRandom(32);
    const b = systemRandom(32);
    expect(a.length).toBe(32);
    expect(systemRandom(0).length).toBe(0);
    expect(a.equals(b)).toBe(false);
  });
});
