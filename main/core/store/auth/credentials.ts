// The access-key pairs the store authenticates against, and how it looks a secret up.

/** One S3 access key. The secret is never logged, echoed or persisted in plaintext by the auth code. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Returns the secret for an access key id, or undefined when the key is unknown (-> InvalidAccessKeyId). */
export type SecretLookup = (accessKeyId: string) => string | undefined;
