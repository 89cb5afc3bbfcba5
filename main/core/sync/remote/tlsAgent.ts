// The HTTPS connection pool for one remote: keep-alive, and the trust rule chosen for it (system CAs, a given CA, a pinned certificate, or none).
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { PIN_MISMATCH_CODE } from './classifyError.js';

export interface TlsOptions {
  /** PEM of the CA (or self-signed certificate) to trust instead of the system's roots. */
  readonly caPem?: string;
  /**
   * Hex SHA-256 of the server certificate (DER), colons and case ignored: exactly that certificate
   * is accepted, whoever signed it and whatever names it carries, and no other.
   */
  readonly pinnedSha256?: string;
  /** Accept any certificate (test rigs and deliberate opt-outs only). */
  readonly insecure?: boolean;
}

/** How long a TLS handshake may take before the connection counts as timed out. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

/** Normalises a fingerprint to lower-case hex; RangeError unless it is 64 hex digits. */
export function normaliseFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new RangeError('pinnedSha256 must be a SHA-256 fingerprint in hex');
  return hex;
}

/** SHA-256 of a certificate's DER bytes, in lower-case hex. */
export function certificateSha256(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

function pinMismatch(): Error {
  return Object.assign(new Error('the server certificate is not the pinned one'), { code: PIN_MISMATCH_CODE });
}

function handshakeTimeout(): Error {
  return Object.assign(new Error('the TLS handshake timed out'), { code: 'ETIMEDOUT' });
}

/**
 * An agent whose sockets are handed to a request only after the pinned certificate was seen, so
 * not one byte of a request (SSE-C keys included) reaches a server presenting another certificate.
 */
class PinnedAgent extends https.Agent {
  constructor(
    options: https.AgentOptions,
    private readonly pin: string,
  ) {
    // Chain and name checks are replaced by the pin; sessions are not resumed, so every connection shows its certificate.
    super({ ...options, rejectUnauthorized: false, maxCachedSessions: 0 });
  }

  override createConnection(options: object, callback?: (err: Error | null, socket: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options) as TLSSocket;
    socket.setNoDelay(true);
    const settle = (err: Error | null): void => {
      socket.setTimeout(0);
      socket.off('error', settle);
      socket.off('timeout', onTimeout);
      if (err) socket.destroy();
      callback?.(err, socket);
    };
    const onTimeout = (): void => settle(handshakeTimeout());
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, onTimeout);
    socket.once('error', settle);
    socket.once('secureConnect', () => {
      const der = socket.getPeerCertificate().raw as Buffer | undefined;
      settle(der && certificateSha256(der) === this.pin ? null : pinMismatch());
    });
    return undefined;
  }
}

/**
 * Nagle's algorithm off: a small request's body otherwise waits for the ACK of its headers, and
 * the peer's delayed ACK makes every small upload cost ~40 ms. The `noDelay` agent option does
 * not reach TLS sockets, hence the explicit call.
 */
class NoDelayAgent extends https.Agent {
  // The base class returns the socket and lets its caller finish the set-up, so no callback here.
  override createConnection(options: object): Duplex | null | undefined {
    const socket = super.createConnection(options) as TLSSocket;
    socket.setNoDelay(true);
    return socket;
  }
}

/** A keep-alive HTTPS agent following `tls`; RangeError for a malformed pin. */
export function createHttpsAgent(tls: TlsOptions = {}): https.Agent {
  const base: https.AgentOptions = { keepAlive: true, ...(tls.caPem ? { ca: tls.caPem } : {}) };
  if (tls.pinnedSha256 !== undefined) return new PinnedAgent(base, normaliseFingerprint(tls.pinnedSha256));
  return new NoDelayAgent({ ...base, rejectUnauthorized: !tls.insecure });
}
