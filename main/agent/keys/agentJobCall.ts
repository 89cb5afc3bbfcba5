// Calls a job channel on the running agent (it answers when the job is done) and prints the job's progress meanwhile.
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Channel, Envelope, FolderJobStatus, RequestOf, ResponseOf } from '../../../preload/contract.js';
import { AgentCallError, callAgent } from '../control/controlClient.js';

/** How often the agent's status is read for progress lines. */
const POLL_MS = 500;

type AgentAddress = { readonly apiUrl: string; readonly token: string };

/**
 * Like callAgent, but with no deadline for the answer: fetch gives up when the headers take more
 * than five minutes, and a job over a large folder takes longer. AgentCallError with the agent's
 * code, or AgentUnreachable when the connection fails.
 */
export function callAgentUntilDone<C extends Channel>(agent: AgentAddress, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const body = JSON.stringify(request);
  return new Promise((resolve, reject) => {
    const unreachable = (err: Error): void => reject(new AgentCallError('AgentUnreachable', `the agent at ${agent.apiUrl} did not answer (${err.message})`));
    const req = http.request(
      `${agent.apiUrl}/api/${channel}`,
      // A connection of its own (agent: false): nothing pooled keeps the CLI alive after the answer.
      { method: 'POST', agent: false, headers: { Authorization: `Bearer ${agent.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', unreachable);
        res.on('end', () => {
          let envelope: Envelope<ResponseOf<C>>;
          try {
            envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Envelope<ResponseOf<C>>;
          } catch {
            return reject(new AgentCallError('MalformedResponse', `the agent at ${agent.apiUrl} answered with something other than JSON`));
          }
          if (envelope.ok) resolve(envelope.value);
          else reject(new AgentCallError(envelope.error.code, envelope.error.message));
        });
      },
    );
    req.on('error', unreachable);
    req.end(body);
  });
}

/** One progress line: `re-keying <folder>: 3 of 10 (docs/a.txt)`. */
export function progressLine(folderId: string, job: Pick<FolderJobStatus, 'kind' | 'done' | 'total'>, current?: string): string {
  const verb = job.kind === 'rekey' ? 're-keying' : 're-encrypting';
  return `${verb} ${folderId}: ${job.done} of ${job.total}${current ? ` (${current})` : ''}`;
}

/** Resolves as `pending` does; meanwhile prints each change of any folder's job progress the agent reports. */
export async function withJobProgress<T>(agent: AgentAddress, pending: Promise<T>, print: (line: string) => void): Promise<T> {
  const stop = new AbortController();
  const poller = (async () => {
    const shown = new Map<string, string>();
    while (!stop.signal.aborted) {
      try {
        await delay(POLL_MS, undefined, { signal: stop.signal });
      } catch {
        return;
      }
      const status = await callAgent(agent, 'status.get', {}).catch(() => undefined);
      for (const folder of status?.folders ?? []) {
        if (!folder.job || stop.signal.aborted) continue;
        const line = progressLine(folder.id, folder.job);
        if (shown.get(folder.id) !== line) print(line);
        shown.set(folder.id, line);
      }
    }
  })();
  try {
    return await pending;
  } finally {
    stop.abort();
    await poller;
  }
}

/** A progress callback for a job run in this process: a line at most every second, and always the last. */
export function progressPrinter(print: (line: string) => void, folderId: string, kind: FolderJobStatus['kind'], clock: () => number = Date.now): (p: { done: number; total: number; current?: string }) => void {
  let last = -Infinity;
  return (p) => {
    const now = clock();
    if (p.done < p.total && now - last < 1000) return;
    last = now;
    print(progressLine(folderId, { kind, done: p.done, total: p.total }, p.current));
  };
}
