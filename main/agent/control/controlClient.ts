// The CLI's side of the control API: calls a channel on the running agent and unwraps the envelope.
import type { Channel, Envelope, RequestOf, ResponseOf } from '../../../preload/contract.js';

export class AgentCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AgentCallError';
  }
}

export async function callAgent<C extends Channel>(agent: { apiUrl: string; token: string }, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  let response: Response;
  try {
    response = await fetch(`${agent.apiUrl}/api/${channel}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${agent.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch (err) {
    throw new AgentCallError('AgentUnreachable', `the agent at ${agent.apiUrl} did not answer (${(err as Error).message})`);
  }
  const envelope = (await response.json()) as Envelope<ResponseOf<C>>;
  if (!envelope.ok) throw new AgentCallError(envelope.error.code, envelope.error.message);
  return envelope.value;
}
