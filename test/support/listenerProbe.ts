// Test support: finds out who, if anyone, answers on an address and port (a Coffer store tells itself by its Server header).
import http from 'node:http';
import https from 'node:https';
import { connect } from 'node:net';

/**
 * Connects to `host` on the port of `url` (http: or https:): 'refused' when nothing listens,
 * 'coffer' when a Coffer store answers, 'other' for any other server. Rejects on other socket errors.
 */
export async function whoAnswers(url: string, host: string): Promise<'refused' | 'coffer' | 'other'> {
  const { protocol, port: portText } = new URL(url);
  const port = Number(portText);
  const connected = await new Promise<boolean>((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? resolve(false) : reject(err)));
  });
  if (!connected) return 'refused';
  const server = await new Promise<string | undefined>((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage): void => {
      res.resume();
      resolve(res.headers['server']?.toString());
    };
    // Only the Server header is read, so the certificate need not be trusted.
    const req =
      protocol === 'https:'
        ? https.get({ host, port, path: '/', agent: false, rejectUnauthorized: false }, onResponse)
        : http.get({ host, port, path: '/', agent: false }, onResponse);
    req.once('error', reject);
  });
  return server === 'Coffer' ? 'coffer' : 'other';
}
