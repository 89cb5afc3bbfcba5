// The agent's status, polled (the contract has no push channel): every view reads this one copy.
import type { AgentStatus } from '../../preload/contract.js';
import { api } from './bridge.js';

const POLL_MS = 1000;

export const agent = $state<{ status: AgentStatus | undefined; error: { code: string; message: string } | undefined }>({ status: undefined, error: undefined });

let timer: ReturnType<typeof setTimeout> | undefined;

/** Fetches the status now (after an action, so the UI does not wait for the next poll). */
export async function refreshStatus(): Promise<void> {
  const envelope = await api.status.get();
  if (envelope.ok) {
    agent.status = envelope.value;
    agent.error = undefined;
  } else {
    agent.error = envelope.error;
  }
}

export function startPolling(): void {
  const tick = async (): Promise<void> => {
    await refreshStatus();
    timer = setTimeout(() => void tick(), POLL_MS);
  };
  if (timer === undefined) void tick();
}
