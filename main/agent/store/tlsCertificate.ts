// The HTTPS certificate of `coffer store`: the user's own, or a self-signed one made on first start and kept.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 of the DER certificate, colon-separated hex, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint256: string;
  origin: 'user' | 'generated' | 'created';
}

const CERT_FILE = 'cert.pem';
const KEY_FILE = 'key.pem';

function material(cert: string, key: string, origin: TlsMaterial['origin']): TlsMaterial {
  return { cert, key, fingerprint256: new X509Certificate(cert).fingerprint256, origin };
}

export interface TlsOptions {
  dataDir: string;
  /** The user's certificate and key (PEM files); both or neither. */
  certFile?: string;
  keyFile?: string;
  /** Extra host names the self-signed certificate should name. */
  hostNames?: readonly string[];
}

export async function loadOrCreateTls(options: TlsOptions): Promise<TlsMaterial> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) throw new Error('--tls-cert and --tls-key must be given together');
    return material(readFileSync(options.certFile, 'utf8'), readFileSync(options.keyFile, 'utf8'), 'user');
  }
  const dir = join(options.dataDir, 'tls');
  const certPath = join(dir, CERT_FILE);
  const keyPath = join(dir, KEY_FILE);
  if (existsSync(certPath) && existsSync(keyPath)) {
    return material(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8'), 'generated');
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The certificate library (and its decorators runtime) loads only on the start that makes one.
  const { createSelfSigned } = await import('./selfSignedCertificate.js');
  const { cert, key } = await createSelfSigned(options.hostNames ?? []);
  writeFileSync(keyPath, key, { mode: 0o600 });
  writeFileSync(certPath, cert, { mode: 0o644 });
  return material(cert, key, 'created');
}
