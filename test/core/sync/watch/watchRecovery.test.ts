import { describe, expect, it } from 'vitest';
import { isWatchLimitError, nextRecoveryStep, pollingReason } from '../../../../main/core/sync/watch/watchRecovery.js';

const fsError = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: failed`), { code });

describe('watch recovery', () => {
  it('treats ENOSPC, EMFILE and ENFILE as the OS watch limit, nothing else', () => {
    expect(['ENOSPC', 'EMFILE', 'ENFILE'].map((c) => isWatchLimitError(fsError(c)))).toEqual([true, true, true]);
    expect(isWatchLimitError(fsError('EIO'))).toBe(false);
    expect(isWatchLimitError(new Error('no code'))).toBe(false);
    expect(isWatchLimitError(undefined)).toBe(false);
  });

  it('moves to polling on the limit in native mode, restarts other errors until the budget is spent', () => {
    expect(nextRecoveryStep('native', fsError('ENOSPC'), 5, 5)).toBe('switch-to-polling');
    expect(nextRecoveryStep('polling', fsError('EMFILE'), 0, 5)).toBe('restart');
    expect(nextRecoveryStep('native', fsError('EIO'), 4, 5)).toBe('restart');
    expect(nextRecoveryStep('native', fsError('EIO'), 5, 5)).toBe('stop');
    expect(nextRecoveryStep('polling', fsError('EIO'), 0, 0)).toBe('stop');
  });

  it('tells the user what happened and how to restore instant updates', () => {
    expect(pollingReason(fsError('ENOSPC'), 1000)).toMatch(/max_user_watches.*every 1 s.*Raising the limit/);
    expect(pollingReason(fsError('EMFILE'), 250)).toMatch(/EMFILE.*every 250 ms/);
  });
});
