// The one rule for small file-system work: on the calling thread while the disk answers from memory, on the thread pool once it does not.
//
// Metadata and small files just listed are almost always cached, where a system call on the
// calling thread costs a fraction of a thread-pool round trip. A cold cache, a network share or a
// spinning disk makes the same call slow, and the calling thread is the event loop that also
// serves the embedded store and the control API. So work starts inline and moves to the pool the
// first time it is measured slow, and inline work hands the loop a turn every slice.

/** One call slower than this on the calling thread means the disk did not answer from memory. */
export const CALLING_THREAD_CALL_BUDGET_MS = 2;
/** Inline work between two turns given back to the event loop; a batch of cheap calls that runs longer has found a slow disk. */
export const CALLING_THREAD_SLICE_MS = 4;
