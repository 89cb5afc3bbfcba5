// V8 settings for Coffer's long-running processes (the store, the agent, the desktop app's main process).
//
// A store moving a large object allocates a 64 KiB socket buffer and a 64 KiB ciphertext buffer per
// chunk, all dead at once; V8's default young generation (16 MiB semi-spaces) lets them pile up
// between scavenges. 2 MiB semi-spaces lowered the store's peak resident memory during a 1 GiB PUT
// by about 25 MB (155-196 MB against 180-225 MB, `npm run bench:store`, two runs each) with no
// throughput change the benchmark could tell from its noise.
export const LONG_RUNNING_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
