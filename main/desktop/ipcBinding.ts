// Binds the contract's handlers to Electron IPC: one handle per channel, every call through the validating gate.
// This is the only ipcMain.handle in the app.
import type { IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type ContractHandlers } from '../../preload/contract.js';
import { ipcChannelOf } from '../../preload/ipcChannels.js';
import { handleIpcCall, type SenderFrame } from './ipcValidation.js';

/** The part of Electron's ipcMain this needs (so it can be bound to anything shaped like it). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The sending frame, or null when it has navigated away or been destroyed (then the call is refused). */
function senderOf(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): SenderFrame | null {
  const frame = event.senderFrame;
  if (!frame) return null;
  return { url: frame.url, isMainFrame: frame.parent === null };
}

/** Registers `coffer:<channel>` for every contract channel; returns a function that removes them all. */
export function bindContractToIpc(ipcMain: IpcMainLike, handlers: ContractHandlers, onUnexpected: (err: unknown) => void): () => void {
  const names = CHANNELS.map(ipcChannelOf);
  for (const name of names) {
    ipcMain.handle(name, (event, ...args) => handleIpcCall(handlers, name, senderOf(event), args, onUnexpected));
  }
  return () => {
    for (const name of names) ipcMain.removeHandler(name);
  };
}
