// Counts events the log could not keep, by reason, until an AuditEventsDropped notice about them is committed.
import type { AuditEvent } from './auditEvent.js';
import type { UnloggableReason } from './canonicalJson.js';

export type LossReason = 'queue-full' | UnloggableReason;

export class Loss {
  constructor(
    readonly reason: LossReason,
    public count: number,
    public first: Date,
    public last: Date,
  ) {}

  /** The admin event that keeps the log honest about what it lost. */
  notice(principal: string, at: Date): AuditEvent {
    return {
      time: at,
      category: 'admin',
      operation: 'AuditEventsDropped',
      outcome: 'failure',
      principal,
      details: { reason: this.reason, count: this.count, firstAt: this.first.toISOString(), lastAt: this.last.toISOString() },
    };
  }
}

export class LossTally {
  private losses = new Map<LossReason, Loss>();

  get empty(): boolean {
    return this.losses.size === 0;
  }

  add(reason: LossReason, count: number, at: Date): void {
    const loss = this.losses.get(reason);
    if (!loss) this.losses.set(reason, new Loss(reason, count, at, at));
    else {
      loss.count += count;
      if (at < loss.first) loss.first = at;
      if (at > loss.last) loss.last = at;
    }
  }

  /** Hands every loss over (to a batch in flight) and starts afresh. */
  takeAll(): Loss[] {
    const taken = [...this.losses.values()];
    this.losses = new Map();
    return taken;
  }

  /** Takes back losses whose notice was not committed, merging with any counted meanwhile. */
  restore(losses: readonly Loss[]): void {
    for (const loss of losses) {
      this.add(loss.reason, loss.count, loss.first);
      this.add(loss.reason, 0, loss.last);
    }
  }
}
