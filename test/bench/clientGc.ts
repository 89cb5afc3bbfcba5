// The benchmark client's own garbage collection, kept from bounding what it measures.
import { setFlagsFromString } from 'node:v8';

/**
 * A large GET hands the client one Buffer per 16 KiB TLS record or socket read. With this process's
 * old generation over about 10 MB, V8 kept starting an incremental major collection: one every
 * 19 MiB or so received, 53 to 56 per 1 GiB GET, which took the client from about 1.2 to 2.0 ms of
 * CPU per MiB over TLS and made it, not the server, the bound of every HTTPS GET (the trivial HTTPS
 * server included). With incremental marking off, a major collection runs only when the old
 * generation is full. The client is the same for every target, so every column gets the same.
 */
export function keepClientMarkingAtomic(): void {
  setFlagsFromString('--no-incremental-marking');
}
