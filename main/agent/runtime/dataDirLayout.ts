// Where an agent's data dir keeps its parts: vault.sqlite and index.sqlite at the top, the embedded store below.

/** The embedded store's own data dir (objects, keyring, KMS, access history, TLS) inside the agent's. */
export const STORE_SUBDIR = 'store';
