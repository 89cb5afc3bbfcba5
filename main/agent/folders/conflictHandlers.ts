// Resolving a conflict from the UI: keep mine, keep theirs, or keep both copies.
import type { ContractHandlers } from '../../../preload/contract.js';
import { applyConflictChoice, ConflictChoiceError } from '../../core/sync/folder/conflictChoice.js';
import type { ConflictRecord } from '../../core/sync/index/conflictLog.js';
import { ApiError } from '../control/apiError.js';
import type { Agent, FolderEntry } from '../runtime/agent.js';

function openConflict(agent: Agent, id: number): { entry: FolderEntry; conflict: ConflictRecord } | undefined {
  for (const entry of agent.folders.values()) {
    const conflict = agent.index.conflicts(entry.settings.id).find((c) => c.id === id);
    if (conflict) return { entry, conflict };
  }
  return undefined;
}

/**
 * conflicts.resolve: NoSuchConflict for an unknown or resolved id (or one being resolved right
 * now); the refusals of applyConflictChoice keep their code (ChoiceNotAvailable,
 * ConflictCopyMissing, ConflictCopyChanged, PathChanged). The folder syncs right after, in the
 * background, so the other devices follow.
 */
export function conflictHandlers(agent: Agent): Pick<ContractHandlers, 'conflicts.resolve'> {
  // Two answers to one conflict must not both move files.
  const underWay = new Set<number>();
  return {
    'conflicts.resolve': async ({ id, keep }) => {
      const found = openConflict(agent, id);
      if (!found || underWay.has(id)) throw new ApiError('NoSuchConflict', `no open conflict with id ${id}`);
      const { entry, conflict } = found;
      underWay.add(id);
      try {
        await applyConflictChoice({ settings: entry.settings, index: agent.index, audit: agent.audit, device: agent.config.deviceName }, conflict, keep);
      } catch (err) {
        if (err instanceof ConflictChoiceError) throw new ApiError(err.code, err.message);
        throw err;
      } finally {
        underWay.delete(id);
      }
      entry.worker?.cycle().catch((err: unknown) => agent.logger.warn({ folder: entry.settings.localPath, reason: (err as Error).message }, 'sync after resolving a conflict failed'));
      return null;
    },
  };
}
