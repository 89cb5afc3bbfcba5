// Runs plans against an in-memory world that applies each action as its contract says, until nothing is left.
import { describe, expect, it } from 'vitest';
import { pathKey, remoteKeyOf } from '../../../main/core/sync/pathKey.js';
import { planSync } from '../../../main/core/sync/plan.js';
import type { SyncAction } from '../../../main/core/sync/syncTypes.js';
import { base, local, remote, seededRandom } from './planFixtures.js';

interface Version {
  readonly path: string;
  readonly content: string;
}
interface Stored extends Version {
  readonly etag: string;
}

/** A folder on a disk (keyed by pathKey, as the disk itself is), a remote (keyed by exact key) and the base. */
class World {
  readonly disk = new Map<string, Version>();
  readonly store = new Map<string, Stored>();
  readonly synced = new Map<string, Stored>();
  private etags = 0;
  private conflicts = 0;

  constructor(readonly caseInsensitive: boolean) {}

  key(path: string): string {
    return pathKey(path, this.caseInsensitive);
  }

  write(path: string, content: string): void {
    this.disk.set(this.key(path), { path, content });
  }

  put(path: string, content: string): string {
    const etag = `e${++this.etags}`;
    this.store.set(path, { path, content, etag });
    return etag;
  }

  setBase(path: string, content: string, etag: string): void {
    this.synced.set(this.key(path), { path, content, etag });
  }

  plan(): SyncAction[] {
    return planSync({
      local: [...this.disk.values()].map((v) => local(v.path, v.content)),
      remote: [...this.store.values()].map((s) => remote(s.path, s.etag)),
      base: [...this.synced.values()].map((s) => base(s.path, s.content, s.etag)),
      caseInsensitive: this.caseInsensitive,
    });
  }

  apply(action: SyncAction): void {
    switch (action.type) {
      case 'upload': {
        const { content } = this.disk.get(this.key(action.path))!;
        const etag = this.put(remoteKeyOf(action.path), content);
        if (action.replacesKey !== undefined) {
          // Only the version both sides agreed on may be superseded (it goes to the trash, not lost).
          expect(this.store.get(action.replacesKey)?.etag, 'a superseded key must hold the base version').toBe(this.synced.get(this.key(action.path))?.etag);
          this.store.delete(action.replacesKey);
        }
        this.setBase(action.path, content, etag);
        return;
      }
      case 'download':
        // The disk is keyed as the file system is: writing the key's spelling replaces any other spelling.
        return this.download(action.path, action.path);
      case 'delete-remote':
        this.store.delete(action.path);
        this.synced.delete(this.key(action.path));
        return;
      case 'delete-local':
        this.disk.delete(this.key(action.path));
        this.synced.delete(this.key(action.path));
        return;
      case 'rename-remote': {
        const moved = this.store.get(remoteKeyOf(action.from))!;
        this.store.delete(remoteKeyOf(action.from));
        this.synced.delete(this.key(action.from));
        const { content } = this.disk.get(this.key(action.to))!;
        expect(content, 'a rename must carry the same content').toBe(moved.content);
        this.setBase(action.to, content, this.put(remoteKeyOf(action.to), moved.content));
        return;
      }
      case 'conflict':
        return this.resolveConflict(action.path, action.kind, action.remoteKey);
      case 'record-base': {
        const here = this.disk.get(this.key(action.path))!;
        const there = this.store.get(remoteKeyOf(action.path))!;
        expect(here.content).toBe(there.content);
        this.setBase(action.path, here.content, there.etag);
        return;
      }
      case 'forget-base':
        this.synced.delete(this.key(action.path));
        return;
      case 'skip':
        return;
    }
  }

  private download(key: string, localPath: string): void {
    const object = this.store.get(key)!;
    this.write(localPath, object.content);
    this.setBase(localPath, object.content, object.etag);
  }

  /**
   * As the executor does: equal content only records the base; otherwise the local copy steps aside.
   * Either way the file settles under the remote's spelling, which is never superseded here.
   */
  private resolveConflict(path: string, kind: string, remoteKey: string | undefined): void {
    const here = this.disk.get(this.key(path));
    const there = this.store.get(remoteKey ?? remoteKeyOf(path));
    const settled = remoteKey ?? path;
    const aside = `${path}.conflict-${++this.conflicts}`;
    if (kind === 'type-change') throw new Error('worlds here hold no folder/file overlaps');
    if (here !== undefined && there !== undefined && here.content === there.content) return this.setBase(settled, here.content, there.etag);
    this.disk.delete(this.key(path));
    this.write(aside, here!.content);
    this.download(remoteKeyOf(settled), settled);
  }
}

const NAMES = ['a.txt', 'b.txt', 'c.txt', 'd/e.txt', 'd/f.txt', 'g/h/i.txt'];

/** A random world in which every local and remote version is unique unless it copies a base version. */
function randomWorld(seed: number, caseInsensitive: boolean): { world: World; mustSurvive: Set<string> } {
  const random = seededRandom(seed);
  const pick = <T>(options: readonly T[]): T => options[Math.floor(random() * options.length)]!;
  const world = new World(caseInsensitive);
  const mustSurvive = new Set<string>();
  const baseContents = NAMES.map((_, i) => `B${i}`);
  NAMES.forEach((name, i) => {
    const hasBase = random() < 0.6;
    // On a case-insensitive disk a local file may have been renamed by case (edited or not), and so may
    // a changed remote object.
    const localName = caseInsensitive && random() < 0.3 ? name.toUpperCase() : name;
    const remoteName = caseInsensitive && random() < 0.3 ? name.toUpperCase() : name;
    if (hasBase) {
      const etag = world.put(name, baseContents[i]!);
      world.setBase(name, baseContents[i]!, etag);
      const remoteState = pick(['absent', 'same', 'changed'] as const);
      if (remoteState === 'absent') world.store.delete(name);
      if (remoteState === 'changed') {
        world.store.delete(name);
        world.put(remoteName, `R${i}`);
        mustSurvive.add(`R${i}`);
      }
      const localState = pick(['absent', 'same', 'changed'] as const);
      if (localState === 'same') world.write(localName, baseContents[i]!);
      if (localState === 'changed') {
        world.write(localName, `L${i}`);
        mustSurvive.add(`L${i}`);
      }
    } else {
      if (random() < 0.5) {
        world.put(name, `R${i}`);
        mustSurvive.add(`R${i}`);
      }
      if (random() < 0.5) {
        // Sometimes a copy of another file's synced content: a rename or copy candidate.
        const copied = random() < 0.4 ? pick(baseContents) : `N${i}`;
        world.write(name, copied);
        if (copied.startsWith('N')) mustSurvive.add(copied);
      }
    }
  });
  return { world, mustSurvive };
}

describe('planSync converges', () => {
  it.each([
    ['a case-sensitive disk', false],
    ['a case-insensitive disk', true],
  ])('on %s: after at most three rounds nothing is left to do, both sides agree, and no new or edited version is lost', (_disk, caseInsensitive) => {
    for (let seed = 1; seed <= 400; seed++) {
      const { world, mustSurvive } = randomWorld(seed, caseInsensitive);
      let actions = world.plan();
      for (let round = 0; round < 3 && actions.length > 0; round++) {
        for (const action of actions) world.apply(action);
        actions = world.plan();
      }
      expect({ seed, actions }).toEqual({ seed, actions: [] });
      const here = new Map([...world.disk.values()].map((v) => [pathKey(v.path, caseInsensitive), v.content]));
      const there = new Map([...world.store.values()].map((s) => [pathKey(s.path, caseInsensitive), s.content]));
      expect({ seed, there }).toEqual({ seed, there: here });
      expect({ seed, remoteTwins: world.store.size - there.size }).toEqual({ seed, remoteTwins: 0 });
      const contents = new Set(here.values());
      for (const version of mustSurvive) expect({ seed, version, kept: contents.has(version) }).toEqual({ seed, version, kept: true });
    }
  });
});
