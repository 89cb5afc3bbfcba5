// Messages between the AuditLog (main thread) and its writer thread.
import type { EncodedEvent } from './eventCodec.js';

export interface WriterInit {
  file: string;
  digestKey: Uint8Array;
  digestInterval: number;
  busyTimeoutMs: number;
}

export type ToWriter = { type: 'append'; id: number; events: EncodedEvent[] } | { type: 'close' };

export type FromWriter =
  | { type: 'appended'; id: number; firstSeq: number; lastSeq: number; ms: number }
  | { type: 'failed'; id: number; message: string; code?: string }
  | { type: 'closed'; error?: string };
