// Methods the package's own CLI uses and users do not see: the `exports` map does not expose this
// file, and the symbols keep the methods off the public surface.
export const rawPush = Symbol('msgevents.rawPush');
// v[openRedaction](options, key): a chunk-by-chunk redaction, for `msgevents redact`.
export const openRedaction = Symbol('msgevents.openRedaction');
// report[reportBatches](): the report's events checked by batch checkers in worker threads, for
// `msgevents validate --jobs N`: { handOut(), take(), merge(results), close() } (see Report).
export const reportBatches = Symbol('msgevents.reportBatches');
