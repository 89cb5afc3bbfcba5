// Recognises field names that carry secrets, so an event holding one is refused instead of logged.

/**
 * Names are compared after lower-casing and dropping everything but letters and digits, so
 * `secretAccessKey`, `secret_access_key` and `x-amz-server-side-encryption-customer-key` all match.
 * A name matches if it ends with one of these stems (so `rootKeyOrigin` or `dataKeySpec` do not)...
 */
const SECRET_SUFFIXES = [
  'secretaccesskey',
  'secretkey',
  'secret',
  'plaintext',
  'passphrase',
  'password',
  'privatekey',
  'rootkey',
  'masterkey',
  'datakey',
  'customerkey',
  'sessiontoken',
  'securitytoken',
  'authorization',
];

/** ...or contains one of these anywhere (a `plaintextBase64` or `customerKeyBytes` is still a secret). */
const SECRET_INFIXES = ['secretaccesskey', 'plaintext', 'passphrase', 'password', 'customerkey'];

/** The MD5 of an SSE-C key is what S3 itself echoes back and logs; it does not reveal the key. */
const DIGEST_SUFFIX = 'md5';

/** Field names repeat from event to event, so answers are remembered (up to a bound). */
const MAX_REMEMBERED = 4096;
const remembered = new Map<string, boolean>();

export function isSecretFieldName(name: string): boolean {
  let secret = remembered.get(name);
  if (secret === undefined) {
    secret = classify(name);
    if (remembered.size < MAX_REMEMBERED) remembered.set(name, secret);
  }
  return secret;
}

function classify(name: string): boolean {
  const normalised = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (normalised.endsWith(DIGEST_SUFFIX)) return false;
  return SECRET_SUFFIXES.some((stem) => normalised.endsWith(stem)) || SECRET_INFIXES.some((stem) => normalised.includes(stem));
}
