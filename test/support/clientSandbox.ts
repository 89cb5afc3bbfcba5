// A throwaway home for third-party S3 clients: temp HOME, config files, the store's CA, random files, and clean environments.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TEST_CREDENTIALS } from './storeFixture.js';

/** The Debian packages CI installs; called by absolute path because a different `aws` may come first on PATH. */
export const AWS_CLI = '/usr/bin/aws';
export const RCLONE = '/usr/bin/rclone';
export const PYTHON = '/usr/bin/python3';

export const KiB = 1024;
export const MiB = 1024 * 1024;

export interface ClientSandbox {
  dir: string;
  home: string;
  /** The store's certificate as a PEM file, for --ca-bundle / --ca-cert / verify=. */
  caFile: string;
  /** Writes a file under the sandbox (parents created) and returns its absolute path. */
  write(relativePath: string, data: Buffer | string): string;
  /** Writes `size` random bytes and returns the path and the bytes. */
  randomFile(relativePath: string, size: number): { path: string; data: Buffer };
  read(relativePath: string): Buffer;
  path(relativePath: string): string;
  /** No variable of the runner's environment leaks in: only a minimal PATH, locale and the temp HOME. */
  baseEnv(): Record<string, string>;
  /** aws cli: temp config and credentials files, credentials and region from the environment, no pager, no IMDS. */
  awsEnv(): Record<string, string>;
  cleanup(): void;
}

export function createClientSandbox(caCert: string): ClientSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-interop-'));
  const home = join(dir, 'home');
  const tmp = join(dir, 'tmp');
  mkdirSync(home);
  mkdirSync(tmp);
  const path = (relativePath: string): string => join(dir, relativePath);
  const write = (relativePath: string, data: Buffer | string): string => {
    const file = path(relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
    return file;
  };
  const caFile = write('ca.pem', caCert);
  const awsConfig = write('home/.aws-test/config', '');
  const awsCredentials = write('home/.aws-test/credentials', '');
  const baseEnv = (): Record<string, string> => ({
    PATH: '/usr/bin:/bin',
    HOME: home,
    TMPDIR: tmp,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONNOUSERSITE: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  });
  return {
    dir,
    home,
    caFile,
    write,
    randomFile(relativePath, size) {
      const data = randomBytes(size);
      return { path: write(relativePath, data), data };
    },
    read: (relativePath) => readFileSync(path(relativePath)),
    path,
    baseEnv,
    awsEnv: () => ({
      ...baseEnv(),
      AWS_CONFIG_FILE: awsConfig,
      AWS_SHARED_CREDENTIALS_FILE: awsCredentials,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function md5Hex(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/** What S3 sends as x-amz-server-side-encryption-customer-key-MD5 for a key. */
export function keyMd5Base64(key: Buffer): string {
  return createHash('md5').update(key).digest('base64');
}
