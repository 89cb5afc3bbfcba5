// The names contract channels carry over Electron IPC: the app's prefix, so no other IPC name can reach the agent.
import { CHANNELS, type Channel } from './contract.js';

/** Every IPC name Coffer handles starts with this; the main process registers exactly one per contract channel. */
export const IPC_PREFIX = 'coffer:';

const BY_IPC_NAME: ReadonlyMap<string, Channel> = new Map(CHANNELS.map((channel) => [`${IPC_PREFIX}${channel}`, channel]));

/** The IPC name of a contract channel: 'status.get' → 'coffer:status.get'. */
export function ipcChannelOf(channel: Channel): string {
  return `${IPC_PREFIX}${channel}`;
}

/** The contract channel an IPC name carries, or undefined for any name that is not exactly a prefixed contract channel. */
export function contractChannelOf(ipcName: string): Channel | undefined {
  return BY_IPC_NAME.get(ipcName);
}
