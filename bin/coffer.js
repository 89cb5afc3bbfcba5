#!/usr/bin/env node
// The `coffer` command: a thin launcher for the compiled CLI (built by `npm run build`).

// fsync and file reads run on libuv's thread pool; the default 4 threads would serialise
// concurrent durable writes. Must be set before the pool first starts, hence the dynamic import.
process.env.UV_THREADPOOL_SIZE ??= '16';

// The pinned AWS SDK warns on every start that its releases after January 2027 need Node 22;
// the versions in package-lock.json run on Node 20.19+, so the notice is noise for users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { runCli } = await import('../dist/main/agent/cli/main.js');
process.exitCode = await runCli(process.argv);
