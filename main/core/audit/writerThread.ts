// The audit writer thread: owns a connection to audit.db and commits batches, so fsync never stalls the caller's event loop.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { openAuditDatabase } from './auditDatabase.js';
import { ChainWriter } from './chainWriter.js';
import type { FromWriter, ToWriter, WriterInit } from './writerProtocol.js';

const init = workerData as WriterInit;
const port = parentPort!;
const db = openAuditDatabase(init.file, init.busyTimeoutMs);
const writer = new ChainWriter(db, Buffer.from(init.digestKey), init.digestInterval, () => new Date());

function reply(message: FromWriter): void {
  port.postMessage(message);
}

port.on('message', (message: ToWriter) => {
  if (message.type === 'append') {
    const started = performance.now();
    try {
      const { firstSeq, lastSeq } = writer.append(message.events);
      reply({ type: 'appended', id: message.id, firstSeq, lastSeq, ms: performance.now() - started });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      reply({ type: 'failed', id: message.id, message: err instanceof Error ? err.message : String(err), ...(typeof code === 'string' ? { code } : {}) });
    }
    return;
  }
  let error: string | undefined;
  try {
    writer.sealTail();
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    db.close();
  }
  reply({ type: 'closed', ...(error ? { error } : {}) });
  port.close();
});
