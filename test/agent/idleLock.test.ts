// The idle lock on a clock the test moves: it locks after the set minutes without a user request, and the UI's polling is not one.
import { describe, expect, it } from 'vitest';
import type { ContractHandlers } from '../../preload/contract.js';
import { IdleLock, notingActivity, PASSIVE_CHANNELS, type IdleLockOptions } from '../../main/agent/runtime/idleLock.js';

const MINUTE = 60_000;

/** A vault that only knows whether it is unlocked, and the time, both moved by the test. */
function rig(overrides: Partial<IdleLockOptions> = {}) {
  const state = { now: 1_000_000, unlocked: true, minutes: 1, locks: 0, locked: [] as number[], errors: [] as unknown[] };
  const idle = new IdleLock({
    idleMinutes: () => state.minutes,
    isUnlocked: () => state.unlocked,
    lock: async () => {
      state.locks += 1;
      state.unlocked = false;
    },
    clock: { now: () => state.now },
    onLocked: (idleMs) => state.locked.push(idleMs),
    onError: (err) => state.errors.push(err),
    ...overrides,
  });
  return { idle, state, advance: (ms: number) => void (state.now += ms) };
}

describe('the idle lock', () => {
  it('locks once the idle time reaches the setting, not a millisecond before', async () => {
    const { idle, state, advance } = rig();
    advance(MINUTE - 1);
    expect(await idle.check()).toBe(false);
    expect(state.unlocked).toBe(true);
    advance(1);
    expect(await idle.check()).toBe(true);
    expect(state).toMatchObject({ unlocked: false, locks: 1, locked: [MINUTE] });
    advance(10 * MINUTE);
    expect(await idle.check()).toBe(false);
    expect(state.locks).toBe(1);
  });

  it('never locks with the setting at 0, and reads the setting at each check', async () => {
    const { idle, state, advance } = rig();
    state.minutes = 0;
    advance(24 * 60 * MINUTE);
    expect(await idle.check()).toBe(false);
    state.minutes = 30;
    expect(await idle.check()).toBe(true);
  });

  it('counts from the last activity', async () => {
    const { idle, state, advance } = rig({});
    advance(50_000);
    idle.noteActivity();
    advance(50_000);
    expect(await idle.check()).toBe(false);
    advance(10_000);
    expect(await idle.check()).toBe(true);
    expect(state.locked).toEqual([MINUTE]);
  });

  it('does not lock while a request runs, however long, and counts its end as activity', async () => {
    const { idle, advance } = rig();
    const end = idle.begin();
    advance(10 * MINUTE);
    expect(await idle.check()).toBe(false);
    end();
    end(); // a second call changes nothing
    advance(MINUTE - 1);
    expect(await idle.check()).toBe(false);
    advance(1);
    expect(await idle.check()).toBe(true);
  });

  it('leaves a vault that is locked already alone', async () => {
    const { idle, state, advance } = rig();
    state.unlocked = false;
    advance(5 * MINUTE);
    expect(await idle.check()).toBe(false);
    expect(state.locks).toBe(0);
  });

  it('reports a failed lock and tries again at the next check', async () => {
    let fail = true;
    const { idle, state, advance } = rig({
      lock: async () => {
        if (fail) throw new Error('the folders did not stop');
        state.unlocked = false;
      },
    });
    advance(MINUTE);
    expect(await idle.check()).toBe(false);
    expect(state.errors).toHaveLength(1);
    fail = false;
    expect(await idle.check()).toBe(true);
    expect(state.unlocked).toBe(false);
  });

  it('joins a check that is already locking instead of locking twice', async () => {
    let release!: () => void;
    const { idle, state, advance } = rig({
      lock: () =>
        new Promise<void>((resolve) => {
          state.locks += 1;
          release = resolve;
        }),
    });
    advance(MINUTE);
    const first = idle.check();
    const second = idle.check();
    release();
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(state.locks).toBe(1);
  });
});

describe('handlers noting activity', () => {
  /** Just the channels this test calls; each answers with its name, one fails, one waits for the test. */
  function handlers(gate: Promise<void>): ContractHandlers {
    return {
      'status.get': async () => 'status.get',
      'conflicts.list': async () => 'conflicts.list',
      'keys.list': async () => 'keys.list',
      'folders.syncNow': async () => {
        await gate;
        return 'folders.syncNow';
      },
      'vault.unlock': async () => {
        throw new Error('wrong passphrase');
      },
    } as unknown as ContractHandlers;
  }

  it('leaves the UI polling out: status.get and conflicts.list', async () => {
    expect([...PASSIVE_CHANNELS].sort()).toEqual(['conflicts.list', 'status.get']);
    const { idle, advance } = rig();
    const wrapped = notingActivity(handlers(Promise.resolve()), idle);
    advance(MINUTE - 1);
    expect(await wrapped['status.get']({})).toBe('status.get');
    expect(await wrapped['conflicts.list']({})).toBe('conflicts.list');
    advance(1);
    expect(await idle.check()).toBe(true);
  });

  it('counts every other call, failed ones too, and passes answers and errors through', async () => {
    const { idle, advance } = rig();
    const wrapped = notingActivity(handlers(Promise.resolve()), idle);
    advance(MINUTE - 1);
    expect(await wrapped['keys.list']({})).toBe('keys.list');
    advance(MINUTE - 1);
    await expect(wrapped['vault.unlock']({ passphrase: 'x' })).rejects.toThrow('wrong passphrase');
    advance(MINUTE - 1);
    expect(idle.idleMs).toBe(MINUTE - 1);
    expect(await idle.check()).toBe(false);
  });

  it('holds the lock off while a call is under way', async () => {
    let open!: () => void;
    const { idle, advance } = rig();
    const wrapped = notingActivity(handlers(new Promise<void>((resolve) => (open = resolve))), idle);
    const running = wrapped['folders.syncNow']({});
    advance(5 * MINUTE);
    expect(await idle.check()).toBe(false);
    open();
    expect(await running).toBe('folders.syncNow');
    advance(MINUTE);
    expect(await idle.check()).toBe(true);
  });
});
