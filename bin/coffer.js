#!/usr/bin/env -S node --max-semi-space-size=4
// The `coffer` command: a thin launcher for the compiled CLI (built by `npm run build`).

// The first line caps V8's young generation at 4 MiB per semi-space (the default grows to 16): a
// long transfer's spent buffers and request garbage then never pile up into 32 MiB of resident
// young space. It is the one heap setting a running process cannot change for itself, hence the
// shebang (`env -S` splits it; npm's Windows shims read the same line).

// fsync and file reads run on libuv's thread pool; the default 4 threads would serialise
// concurrent durable writes. Must be set before the pool first starts, hence the dynamic import.
process.env.UV_THREADPOOL_SIZE ??= '16';

// The pinned AWS SDK warns on every start that its releases after January 2027 need Node 22;
// the versions in package-lock.json run on Node 20.19+, so the notice is noise for users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { runCli } = await import('../dist/main/agent/cli/main.js');
process.exitCode = await runCli(process.argv);
