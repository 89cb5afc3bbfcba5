// The heap limits of the store's helper threads (MD5 hashing, the access-history writer).

/**
 * These threads keep almost nothing alive between messages: each batch's wrappers die as soon as
 * it is handled. The default young generation (two 16 MiB semi-spaces per thread) would still fill
 * and stay resident; 2 MiB makes their scavenges frequent but tiny.
 */
export const HELPER_THREAD_LIMITS = { maxYoungGenerationSizeMb: 2 } as const;
