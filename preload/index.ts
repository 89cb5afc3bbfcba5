// The sandboxed preload: exposes the contract's API as window.coffer over ipcRenderer.invoke, and nothing else.
// A sandboxed preload can require only 'electron', so preload/vite.config.mjs bundles this file and its two
// pure imports into one CommonJS file, dist/preload/index.cjs (see preload/README.md).
import { contextBridge, ipcRenderer } from 'electron';
import { createCofferApi } from './bridge.js';
import { ipcChannelOf } from './ipcChannels.js';

// Only the request crosses to the main process and only the envelope comes back: the page never
// holds ipcRenderer, an IPC event object or a way to name an IPC channel of its own (Electron
// security checklist item 20).
const api = createCofferApi({ invoke: (channel, request) => ipcRenderer.invoke(ipcChannelOf(channel), request) });

contextBridge.exposeInMainWorld('coffer', api);
