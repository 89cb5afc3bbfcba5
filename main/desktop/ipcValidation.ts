// The gate for every IPC call from the window: the app's own main frame, a contract channel, a valid request; always an envelope back.
import type { ContractHandlers, Envelope } from '../../preload/contract.js';
import { contractChannelOf } from '../../preload/ipcChannels.js';
import { envelopeOfError } from '../agent/control/errorEnvelope.js';
import { validateRequest } from '../agent/control/requestSchemas.js';
import { isAppUrl } from './appScheme.js';

/** What the gate needs of the frame that sent a call (Electron's event.senderFrame, which may be gone). */
export interface SenderFrame {
  readonly url: string;
  readonly isMainFrame: boolean;
}

/** Only the app's own page, in its main frame: not a sub-frame, not file://, not a lookalike host (Electron security checklist, item 17). */
export function senderAllowed(frame: SenderFrame | null | undefined): boolean {
  return frame !== null && frame !== undefined && frame.isMainFrame && isAppUrl(frame.url);
}

function refusal(code: string, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

/** A handler's failure as an envelope: the control API's policy, shared (never a stack; Electron keeps only messages). */
export { envelopeOfError };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Answers one IPC call. Checked in this order, each failure an error envelope and the handler never
 * called: the sender (ForbiddenSender), the IPC name (UnknownChannel: only `coffer:<channel>` of the
 * contract), exactly one argument that is a plain object (InvalidRequest), and the channel's request
 * schema (InvalidRequest naming the field, never its value). Then the handler runs; its result comes
 * back as `{ ok: true, value }` (undefined as null) and its failure through envelopeOfError. Never rejects.
 */
export async function handleIpcCall(
  handlers: ContractHandlers,
  ipcName: string,
  sender: SenderFrame | null | undefined,
  args: readonly unknown[],
  onUnexpected: (err: unknown) => void,
): Promise<Envelope<unknown>> {
  if (!senderAllowed(sender)) return refusal('ForbiddenSender', 'only the Coffer window may call the agent');
  const channel = contractChannelOf(ipcName);
  if (channel === undefined) return refusal('UnknownChannel', `no such channel: ${ipcName.slice(0, 80)}`);
  if (args.length !== 1 || !isPlainObject(args[0])) return refusal('InvalidRequest', `${channel}: the request must be one object`);
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    const value = await handler(validateRequest(channel, args[0]));
    return { ok: true, value: value ?? null };
  } catch (err) {
    return envelopeOfError(err, onUnexpected);
  }
}
