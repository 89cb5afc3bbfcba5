// Starts a worker thread from a module beside the caller, whether the code runs built (.js) or from TypeScript sources.
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * `callerUrl` is the caller's import.meta.url and `baseName` the thread module's name without
 * extension, in the same folder. From TypeScript sources (the test runner) the thread is loaded
 * through tsx, a dev dependency; built code loads the .js file directly.
 */
export function spawnModuleThread(callerUrl: string, baseName: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  if (callerUrl.endsWith('.ts')) {
    const entry = new URL(`./${baseName}.ts`, callerUrl).href;
    const bootstrap = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
  }
  return new Worker(new URL(`./${baseName}.js`, callerUrl), { workerData, resourceLimits });
}
