// The API the UI sees, built from the contract over any transport: Electron IPC in the preload, HTTP in a browser.
import { CHANNELS, type Channel, type CofferApi, type ContractTransport, type Envelope } from './contract.js';

/** The envelope code for a call the transport itself could not carry (no handler, a torn-down window, a lost connection). */
export const TRANSPORT_ERROR = 'TransportError';

// Compile-time checks, in both directions: every channel has a member, and every member is a channel.
type MemberChannel = { [G in keyof CofferApi]: `${G}.${keyof CofferApi[G] & string}` }[keyof CofferApi];
type ChannelWithoutMember = Exclude<Channel, MemberChannel>;
type MemberWithoutChannel = Exclude<MemberChannel, Channel>;
const everyChannelHasAMember: ChannelWithoutMember extends never ? true : ChannelWithoutMember = true;
const everyMemberIsAChannel: MemberWithoutChannel extends never ? true : MemberWithoutChannel = true;
// A channel name is `group.member` with exactly one dot, so the split below is unambiguous.
type NotGroupDotMember = { [C in Channel]: C extends `${string}.${infer M}` ? (M extends `${string}.${string}` ? C : never) : C }[Channel];
const everyChannelIsGroupDotMember: NotGroupDotMember extends never ? true : NotGroupDotMember = true;
void [everyChannelHasAMember, everyMemberIsAChannel, everyChannelIsGroupDotMember];

type AnyMethod = (request?: unknown) => Promise<Envelope<unknown>>;

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && typeof v.error?.code === 'string' && typeof v.error.message === 'string';
}

function transportFailure(message: string): Envelope<never> {
  return { ok: false, error: { code: TRANSPORT_ERROR, message } };
}

async function call(transport: ContractTransport, channel: Channel, request: unknown): Promise<Envelope<unknown>> {
  let answer: unknown;
  try {
    answer = await transport.invoke(channel, request as never);
  } catch (err) {
    return transportFailure(`${channel}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return isEnvelope(answer) ? answer : transportFailure(`${channel}: the answer is not a result envelope`);
}

/**
 * One method per contract channel, grouped by the channel's first part (`api.folders.add`). A method
 * called without a request sends `{}`. Methods never reject: a transport failure or an answer that
 * is not an envelope becomes `{ ok: false, error: { code: 'TransportError', … } }`. The returned
 * object and its groups are frozen.
 */
export function createCofferApi(transport: ContractTransport): CofferApi {
  const groups: Record<string, Record<string, AnyMethod>> = {};
  for (const channel of CHANNELS) {
    const dot = channel.indexOf('.');
    const group = (groups[channel.slice(0, dot)] ??= {});
    group[channel.slice(dot + 1)] = (request) => call(transport, channel, request ?? {});
  }
  for (const group of Object.values(groups)) Object.freeze(group);
  return Object.freeze(groups) as unknown as CofferApi;
}
