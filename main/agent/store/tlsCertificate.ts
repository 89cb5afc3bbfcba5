// The HTTPS certificate of `coffer store`: the user's own, or a self-signed one made on first start and kept.
import 'reflect-metadata';
import { X509Certificate, webcrypto } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 of the DER certificate, colon-separated hex, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint256: string;
  origin: 'user' | 'generated' | 'created';
}

const CERT_FILE = 'cert.pem';
const KEY_FILE = 'key.pem';
/** Browsers and Apple clients refuse server certificates valid for more than 825 days. */
const VALIDITY_DAYS = 825;

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
  const { cert, key } = await createSelfSigned(options.hostNames ?? []);
  writeFileSync(keyPath, key, { mode: 0o600 });
  writeFileSync(certPath, cert, { mode: 0o644 });
  return material(cert, key, 'created');
}

/**
 * An ECDSA P-256 certificate for localhost, s3.localhost and *.s3.localhost (virtual-hosted
 * buckets: TLS clients never match a wildcard directly under a one-label name such as
 * *.localhost), the loopback addresses, plus any names given.
 */
export async function createSelfSigned(hostNames: readonly string[]): Promise<{ cert: string; key: string }> {
  const crypto = webcrypto;
  x509.cryptoProvider.set(crypto as never);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const names = new Set(['localhost', 's3.localhost', '*.s3.localhost', ...hostNames.filter((h) => !/^[\d.]+$|:/.test(h))]);
  const ips = new Set(['127.0.0.1', '::1', ...hostNames.filter((h) => /^[\d.]+$|:/.test(h))]);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    name: 'CN=Coffer embedded store',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + VALIDITY_DAYS * 86_400_000),
    signingAlgorithm: algorithm,
    keys: keys as never,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...[...names].map((value) => ({ type: 'dns' as const, value })),
        ...[...ips].map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  const key = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return { cert: cert.toString('pem'), key };
}
