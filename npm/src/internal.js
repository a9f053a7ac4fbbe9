// Methods the package's own CLI uses and users do not see: the `exports` map does not expose this
// file, and the symbols keep the methods off the public surface.
export const rawPush = Symbol('msgevents.rawPush');
// v[openRedaction](options, key): a chunk-by-chunk redaction, for `msgevents redact`.
export const openRedaction = Symbol('msgevents.openRedaction');
