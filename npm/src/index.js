// msgevents: validate messaging-platform domain events with the C++ core compiled to WebAssembly.
//
//   import { createValidator } from 'msgevents';
//   const v = await createValidator();          // loads the .wasm once (memoised)
//   const report = v.validate(textOrBytes, { profile: 'public', now: new Date() });
//   // report: exactly the native CLI's `--format json` output: { summary, findings, ... }
//
// The wrapper is deliberately thin: it copies the whole input into the module's heap, makes ONE
// call, parses the ONE JSON string that comes back and frees the heap memory it used. Under Node
// it reads the .wasm beside this file itself (Node's fetch cannot load file: URLs); in browsers,
// workers and bundlers the Emscripten glue finds the .wasm beside itself via import.meta.url.
import createMsgeventsModule from '../dist/msgevents_wasm.mjs';
import { rawFinish, rawPush } from './internal.js';

const PROFILES = ['internal', 'public'];
const OPTION_KEYS = new Set(['profile', 'strict', 'now', 'maxEventBytes', 'maxDepth']);

/** A failure of the msgevents module or a call to it (not a finding: findings are data). */
export class MsgeventsError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'MsgeventsError';
  }
}

const isNode = typeof process === 'object' && process !== null && typeof process.versions?.node === 'string' &&
  typeof window === 'undefined' && typeof importScripts === 'undefined';

async function nodeReadFile(url) {
  // getBuiltinModule (Node >= 20.16) keeps `node:fs` invisible to browser bundlers; the dynamic
  // import is the fallback for older Node releases.
  const fs = typeof process.getBuiltinModule === 'function'
    ? process.getBuiltinModule('node:fs/promises')
    : await import(/* @vite-ignore */ ['node:fs', 'promises'].join('/'));
  return fs.readFile(url);
}

async function loadModule({ locateFile, wasmBinary } = {}) {
  const moduleArgs = {
    // Emscripten prints aborts; a library must not write to the console on its own.
    print: () => {},
    printErr: () => {},
  };
  if (locateFile !== undefined) {
    if (typeof locateFile !== 'function') throw new TypeError('createValidator: locateFile must be a function (path, prefix) => url');
    moduleArgs.locateFile = locateFile;
  }
  if (wasmBinary !== undefined) {
    if (!(wasmBinary instanceof ArrayBuffer || ArrayBuffer.isView(wasmBinary))) {
      throw new TypeError('createValidator: wasmBinary must be an ArrayBuffer or a Uint8Array');
    }
    moduleArgs.wasmBinary = wasmBinary;
  } else if (isNode) {
    const where = locateFile ? locateFile('msgevents_wasm.wasm', '') : new URL('../dist/msgevents_wasm.wasm', import.meta.url);
    const url = where instanceof URL ? where : new URL(String(where), import.meta.url);
    moduleArgs.wasmBinary = await nodeReadFile(url);
  }
  try {
    return await createMsgeventsModule(moduleArgs);
  } catch (cause) {
    throw new MsgeventsError(`msgevents: could not load the WebAssembly module: ${describe(cause)}`, { cause });
  }
}

function describe(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}

let memo = null; // { locateFile, wasmBinary, promise }

/**
 * Loads the WebAssembly module (once) and returns a validator bound to it. Calls with the same
 * hooks (or none) share one module; different hooks load another.
 */
export function createValidator(hooks = {}) {
  if (hooks === null || typeof hooks !== 'object') {
    return Promise.reject(new TypeError('createValidator: expected an options object { locateFile, wasmBinary }'));
  }
  for (const key of Object.keys(hooks)) {
    if (key !== 'locateFile' && key !== 'wasmBinary') {
      return Promise.reject(new TypeError(`createValidator: unknown option "${key}" (expected locateFile or wasmBinary)`));
    }
  }
  const { locateFile, wasmBinary } = hooks;
  if (memo && memo.locateFile === locateFile && memo.wasmBinary === wasmBinary) return memo.promise;
  const entry = { locateFile, wasmBinary, promise: null };
  entry.promise = loadModule(hooks).then(
    (module) => new Validator(module, () => { if (memo === entry) memo = null; }),
    (error) => { if (memo === entry) memo = null; throw error; },
  );
  memo = entry;
  return entry.promise;
}

function toNowMs(now, parseDateTime) {
  if (now instanceof Date) {
    const ms = now.getTime();
    if (Number.isNaN(ms)) throw new RangeError('options.now: invalid Date');
    return ms;
  }
  if (typeof now === 'number') {
    if (!Number.isFinite(now)) throw new RangeError('options.now: expected a finite number of milliseconds since the epoch');
    return Math.trunc(now);
  }
  if (typeof now === 'string') {
    const ms = parseDateTime(now);
    if (ms === null) throw new RangeError(`options.now: "${now}" is not an RFC 3339 date-time (e.g. 2024-05-01T12:00:00Z)`);
    return ms;
  }
  throw new TypeError('options.now: expected a Date, an RFC 3339 string or milliseconds since the epoch');
}

function positiveInteger(value, name) {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`options.${name}: expected a positive integer, got ${value}`);
  return value;
}

// Options for the core, always complete: the Embind value_object needs every field.
function toCoreOptions(options, parseDateTime) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw new TypeError('options: expected an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new TypeError(`options: unknown option "${key}" (expected one of ${[...OPTION_KEYS].join(', ')})`);
    }
  }
  const { profile = 'internal', strict = false, now, maxEventBytes = 1048576, maxDepth = 64 } = options;
  if (!PROFILES.includes(profile)) throw new RangeError(`options.profile: expected "internal" or "public", got ${JSON.stringify(profile)}`);
  if (typeof strict !== 'boolean') throw new TypeError('options.strict: expected a boolean');
  const hasNow = now !== undefined && now !== null;
  return {
    profile,
    strict,
    hasNow,
    nowMs: hasNow ? toNowMs(now, parseDateTime) : 0,
    maxEventBytes: positiveInteger(maxEventBytes, 'maxEventBytes'),
    maxDepth: positiveInteger(Math.min(maxDepth, 2 ** 31), 'maxDepth'),
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// Methods Session uses on its Validator, kept off the public surface.
const sessionCall = Symbol('sessionCall');
const guardCall = Symbol('guardCall');

class Validator {
  #m;
  #broken = null;
  #forget;
  #catalog = null;

  constructor(module, forget) {
    this.#m = module;
    this.#forget = forget;
  }

  /** The package's version (the core's). */
  get version() {
    return this.#call(() => this.#m.version());
  }

  /** Bytes of WebAssembly memory the module holds now (memory grows, it never shrinks). */
  get memoryBytes() {
    return this.#m.HEAPU8.length;
  }

  /** The catalog, as `msgevents catalog` prints it (parsed once, then frozen). */
  get catalog() {
    if (this.#catalog === null) this.#catalog = deepFreeze(JSON.parse(this.#result('catalogJson', false)));
    return this.#catalog;
  }

  /** The catalog as JSON text, byte for byte what `msgevents catalog` prints. */
  catalogJson() {
    return this.#result('catalogJson', true);
  }

  /** The validation checklist as Markdown, as `msgevents checklist` prints it. */
  checklist() {
    return this.#result('checklistMarkdown');
  }

  /** The rule registry: [{ code, severity, category, title, explanation, escalation }]. */
  rules() {
    return JSON.parse(this.#result('rulesJson'));
  }

  /**
   * The JSON Schema (draft 2020-12) of one event type, or with no name the bundle of every type
   * (selected by event_name). `strict: true` rejects unknown fields, like `validate --strict`.
   */
  jsonSchema(eventName, { strict = false } = {}) {
    if (eventName !== undefined && typeof eventName !== 'string') throw new TypeError('jsonSchema: expected an event name');
    if (typeof strict !== 'boolean') throw new TypeError('jsonSchema: options.strict must be a boolean');
    return JSON.parse(this.#result('jsonSchema', eventName ?? '', strict));
  }

  /**
   * An RFC 3339 date-time (any offset) as milliseconds since the epoch, or null when the text is
   * not one: the parser the core and the native CLI's --now use.
   */
  parseDateTime(text) {
    if (typeof text !== 'string') throw new TypeError('parseDateTime: expected a string');
    const ms = this.#call(() => this.#m.parseDateTime(text));
    return Number.isNaN(ms) ? null : ms;
  }

  /**
   * One event (an object or JSON text) as a CloudEvents 1.0 structured-mode event, as
   * `msgevents cloudevent` maps it (`msgevents cloudevent --mapping` prints the table). The event is
   * not validated here; an input that is not an event object throws a MsgeventsError.
   */
  toCloudEvent(event, { typePrefix = 'msgevents.' } = {}) {
    if (typeof typePrefix !== 'string') throw new TypeError('toCloudEvent: options.typePrefix must be a string');
    const text = typeof event === 'string' ? event : JSON.stringify(event);
    if (typeof text !== 'string') throw new TypeError('toCloudEvent: expected an event object or JSON text');
    return JSON.parse(this.#result('toCloudEvent', text, typePrefix));
  }

  /**
   * Compares two catalogs (objects as `v.catalog`, or JSON text) against the change policy, as
   * `msgevents compat --format json OLD NEW` does: each event type's changes, compatible or
   * breaking, and whether its schema_version bump matches. `ok` is false when one does not.
   */
  compat(oldCatalog, newCatalog) {
    const text = (c, name) => {
      const t = typeof c === 'string' ? c : JSON.stringify(c);
      if (typeof t !== 'string') throw new TypeError(`compat: ${name} must be a catalog object or JSON text`);
      return t;
    };
    return JSON.parse(this.#result('compatJson', text(oldCatalog, 'oldCatalog'), text(newCatalog, 'newCatalog')));
  }

  /**
   * The input (one event, an array or NDJSON, as text) with every pii value replaced by
   * "redacted:" + the first 32 hex digits of HMAC-SHA-256(key, value), as `msgevents redact` does;
   * everything else stays byte for byte. The same key gives the same token for the same value
   * (pass one to match tokens across calls); without `key` a random one is drawn for this call.
   * `profile: 'internal'` removes only credentials.
   */
  redact(input, { key, profile = 'public' } = {}) {
    if (typeof input !== 'string') throw new TypeError('redact: expected the events as a string');
    if (key === undefined || key === null) {
      key = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
    }
    if (typeof key !== 'string' || key.length === 0) throw new TypeError('redact: options.key must be a non-empty string');
    if (!PROFILES.includes(profile)) throw new RangeError(`redact: options.profile: expected "internal" or "public", got ${JSON.stringify(profile)}`);
    if (input.length === 0) return '';
    return this.#result('redact', input, key, profile);
  }

  /**
   * Validates one JSON event, a JSON array of events or NDJSON. `input` is a string or UTF-8
   * bytes (Uint8Array, any ArrayBufferView, ArrayBuffer). Returns the native CLI's JSON report.
   */
  validate(input, options) {
    const coreOptions = toCoreOptions(options, (text) => this.parseDateTime(text));
    const text = this.#withInput(input, 'validate', (pointer, length) =>
      this.#result('validateBytes', pointer, length, coreOptions));
    return JSON.parse(text);
  }

  /**
   * A streaming session for large inputs: push() chunks (split anywhere, even inside a UTF-8
   * character, when they are bytes) and get the findings each one completed; finish() returns
   * the remaining findings and the summary of the whole input and releases the session.
   */
  createSession(options) {
    const coreOptions = toCoreOptions(options, (text) => this.parseDateTime(text));
    const handle = this.#call(() => new this.#m.Session(coreOptions));
    return new Session(this, handle);
  }

  /** Validates an (async) iterable of chunks through a session; same result as validate(). */
  async validateStream(chunks, options) {
    const session = this.createSession(options);
    const findings = [];
    try {
      for await (const chunk of chunks) {
        for (const finding of session.push(chunk)) findings.push(finding);
      }
      const report = session.finish();
      report.findings = findings.concat(report.findings);
      return report;
    } finally {
      session.close();
    }
  }

  // For Session: one guarded call on its handle, the input copied into the heap.
  [sessionCall](handle, method, input) {
    if (input === undefined) return this.#checked(method, this.#call(() => handle[method]()));
    return this.#withInput(input, method, (pointer, length) =>
      this.#checked(method, this.#call(() => handle[method](pointer, length))));
  }

  [guardCall](fn) {
    return this.#call(fn);
  }

  #result(name, ...args) {
    return this.#checked(name, this.#call(() => this.#m[name](...args)));
  }

  // Every bound function returns "" (or, for validation results kept in the module, a length of
  // 0) on failure, with the reason in lastError().
  #checked(name, result) {
    if (typeof result === 'string' && result.length > 0) return result;
    if (typeof result === 'number' && result > 0) return this.#takeResult(result);
    throw new MsgeventsError(`msgevents: ${this.#call(() => this.#m.lastError()) || `${name} failed`}`);
  }

  // Decodes the result the module kept (one copy, no byte-by-byte loop in JS) and frees it.
  #takeResult(length) {
    const m = this.#m;
    try {
      const pointer = this.#call(() => m.resultPointer());
      return decoder.decode(m.HEAPU8.subarray(pointer, pointer + length));
    } finally {
      if (!this.#broken) m.releaseResult();
    }
  }

  // A trap or abort leaves the module in an unknown state: never use it again, and let the next
  // createValidator() load a fresh one.
  #call(fn) {
    if (this.#broken) throw new MsgeventsError(`msgevents: the WebAssembly module failed earlier (${this.#broken}); call createValidator() again`);
    try {
      return fn();
    } catch (error) {
      if (error instanceof MsgeventsError || error instanceof TypeError || error instanceof RangeError) throw error;
      this.#broken = describe(error);
      this.#forget();
      throw new MsgeventsError(`msgevents: the WebAssembly module failed: ${this.#broken}`, { cause: error });
    }
  }

  // Copies `input` as UTF-8 into memory from malloc, runs use(pointer, length), frees it.
  #withInput(input, what, use) {
    const m = this.#m;
    let pointer = 0;
    let length = 0;
    if (typeof input === 'string') {
      // Encode straight into the heap: one copy. Guess one byte a code unit, grow when needed.
      let capacity = input.length + 1;
      pointer = this.#call(() => m._malloc(capacity));
      if (!pointer) throw new MsgeventsError(`msgevents: ${what}: out of memory for ${capacity} bytes of input`);
      let read = 0;
      for (;;) {
        const rest = read === 0 ? input : input.substring(read);
        const r = encoder.encodeInto(rest, m.HEAPU8.subarray(pointer + length, pointer + capacity));
        read += r.read;
        length += r.written;
        if (read >= input.length) break;
        capacity = length + (input.length - read) * 3 + 1;
        const grown = this.#call(() => m._realloc(pointer, capacity));
        if (!grown) {
          m._free(pointer);
          throw new MsgeventsError(`msgevents: ${what}: out of memory for ${capacity} bytes of input`);
        }
        pointer = grown;
      }
    } else {
      let bytes;
      if (input instanceof Uint8Array) bytes = input;
      else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
      else throw new TypeError(`${what}: expected a string, a Uint8Array or an ArrayBuffer, got ${input === null ? 'null' : typeof input}`);
      length = bytes.length;
      pointer = this.#call(() => m._malloc(length || 1));
      if (!pointer) throw new MsgeventsError(`msgevents: ${what}: out of memory for ${length} bytes of input`);
      m.HEAPU8.set(bytes, pointer);
    }
    try {
      return use(pointer, length);
    } finally {
      if (!this.#broken) m._free(pointer);
    }
  }
}

// Frees the Embind handle when a session is dropped without finish() or close().
const orphans = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((handle) => { try { handle.delete(); } catch { /* module gone */ } })
  : null;

class Session {
  #validator;
  #handle;

  constructor(validator, handle) {
    this.#validator = validator;
    this.#handle = handle;
    orphans?.register(this, handle, this);
  }

  /** Feeds the next chunk (string or bytes); returns the findings it completed. */
  push(chunk) {
    return JSON.parse(this[rawPush](chunk));
  }

  // The findings as the core's JSON text (an array), for the CLI to write byte for byte.
  [rawPush](chunk) {
    return this.#validator[sessionCall](this.#live('push'), 'push', chunk);
  }

  /** Counts so far: { events, critical, error, warning, info, bytes }. */
  progress() {
    return JSON.parse(this.#validator[sessionCall](this.#live('progress'), 'progress'));
  }

  /**
   * Ends the input: { summary, findings (those not returned by push), aggregates,
   * aggregates_omitted }. Releases the session.
   */
  finish() {
    const { findings, summary, aggregates, aggregatesOmitted } = this[rawFinish]();
    // The key order of validate()'s report.
    return {
      summary: JSON.parse(summary),
      findings: JSON.parse(findings),
      aggregates: JSON.parse(aggregates),
      aggregates_omitted: JSON.parse(aggregatesOmitted),
    };
  }

  // { findings, summary, aggregates, aggregatesOmitted } as the core's JSON texts.
  [rawFinish]() {
    try {
      const [findings, summary, aggregates, aggregatesOmitted] = this.#validator[sessionCall](this.#live('finish'), 'finish').split('\n');
      return { findings, summary, aggregates, aggregatesOmitted };
    } finally {
      this.close();
    }
  }

  /** Releases the session without finishing it. Safe to call more than once. */
  close() {
    if (this.#handle === null) return;
    orphans?.unregister(this);
    const handle = this.#handle;
    this.#handle = null;
    try {
      this.#validator[guardCall](() => handle.delete());
    } catch { /* the module failed; its memory is gone with it */ }
  }

  [Symbol.dispose]() {
    this.close();
  }

  #live(what) {
    if (this.#handle === null) throw new MsgeventsError(`msgevents: session.${what}(): the session is finished or closed`);
    return this.#handle;
  }
}

function deepFreeze(value) {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze(value[key]);
  }
  return value;
}
