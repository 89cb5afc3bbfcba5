// A self-signed ECDSA certificate for the embedded store's HTTPS port, made with @peculiar/x509.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** Browsers and Apple clients refuse server certificates valid for more than 825 days. */
const VALIDITY_DAYS = 825;

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
