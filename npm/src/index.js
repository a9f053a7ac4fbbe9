// msgevents: validate messaging-platform domain events with the C++ core compiled to WebAssembly.
//
//   import { createValidator } from 'msgevents';
//   const v = await createValidator();          // loads the .wasm once (memoised)
//   const report = v.validate(textOrBytes, { profile: 'public', now: new Date() });
//   // report: exactly the native CLI's `--format json` output: { summary, findings, ... }
//   const event = makeEvent('CustomerDisabled', { payload, actor: { type: 'user', id: 'usr_1' }, version: 2 });
//   v.validate(event);                         // an event object, an array of them, text or bytes
//
// The wrapper is deliberately thin: it copies the whole input into the module's heap, makes ONE
// call, parses the ONE JSON string that comes back and frees the heap memory it used. Under Node
// it reads the .wasm beside this file itself (Node's fetch cannot load file: URLs); in browsers,
// workers and bundlers the Emscripten glue finds the .wasm beside itself via import.meta.url.
//
// Two modules with one calling convention (wasm/boundary.hpp): createValidator() loads the
// validator module (msgevents_wasm: validation, sessions, catalog, checklist, rules, redaction),
// all a validating page downloads. The report writer (createReport) and the exports (jsonSchema,
// toCloudEvent, compat) are in the tools module (msgevents_tools, entered through tools.js), which
// the first call of one of them loads with a dynamic import() (bundlers split it off): those
// methods return Promises.
// The tools module is driven by a second Validator over it, whose private methods are these.
import createMsgeventsModule from '../dist/msgevents_wasm.mjs';
import { eventTypes } from '../dist/event-types.js';
import { openRedaction, rawPush, reportBatches } from './internal.js';

const PROFILES = ['internal', 'public'];

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

// Instantiates one of the package's modules: `factory` is its Emscripten glue, `wasmFile` the name
// of its .wasm (what locateFile is asked for) and `beside` where it is in the package, read under
// Node. wasmBinary, a hook of createValidator(), is the validator module's.
async function loadModule(factory, wasmFile, beside, { locateFile, wasmBinary } = {}) {
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
    const where = locateFile ? locateFile(wasmFile, '') : beside();
    const url = where instanceof URL ? where : new URL(String(where), import.meta.url);
    moduleArgs.wasmBinary = await nodeReadFile(url);
  }
  try {
    return await factory(moduleArgs);
  } catch (cause) {
    throw new MsgeventsError(`msgevents: could not load the WebAssembly module: ${describe(cause)}`, { cause });
  }
}

// The validator module exports plain C functions (wasm/bindings.cpp, no Embind: its JS runtime
// would be a good part of what a page downloads). This gives them the shape of the tools module's
// Embind calls, so that one Validator class drives either module: strings come back as lengths of
// the result kept in the module (#takeResult), sessions as objects with methods and delete().
function validatorCalls(raw) {
  const text = (pointer, length) => decoder.decode(raw.HEAPU8.subarray(pointer, pointer + length));
  const taken = (length) => {
    try {
      return text(raw._msgevents_result_pointer(), length);
    } finally {
      raw._msgevents_release_result();
    }
  };
  const args = (o) => [o.publicProfile, o.strict, o.hasNow, o.nowMs, o.maxEventBytes, o.maxDepth, o.maxFindings];
  return {
    get HEAPU8() { return raw.HEAPU8; },
    _malloc: (n) => raw._malloc(n),
    _free: (p) => raw._free(p),
    _realloc: (p, n) => raw._realloc(p, n),
    version: () => taken(raw._msgevents_version()),
    lastError: () => text(raw._msgevents_last_error_pointer(), raw._msgevents_last_error_length()),
    resultPointer: () => raw._msgevents_result_pointer(),
    releaseResult: () => raw._msgevents_release_result(),
    parseDateTime: (pointer, length) => raw._msgevents_parse_date_time(pointer, length),
    validateBytes: (pointer, length, options) => raw._msgevents_validate(pointer, length, ...args(options)),
    catalogText: () => raw._msgevents_catalog_text(),
    checklistMarkdown: () => raw._msgevents_checklist(),
    rulesJson: () => raw._msgevents_rules_json(),
    Session: class {
      #s;
      constructor(options) { this.#s = raw._msgevents_session_new(...args(options)); }
      push(pointer, length) { return raw._msgevents_session_push(this.#s, pointer, length); }
      taken() { return raw._msgevents_session_taken(this.#s); }
      finish() { return raw._msgevents_session_finish(this.#s); }
      progress() { return raw._msgevents_session_progress(this.#s); }
      mute(pointer, length) { return raw._msgevents_session_mute(this.#s, pointer, length); }
      delete() { raw._msgevents_session_delete(this.#s); }
    },
    RedactSession: class {
      #r;
      constructor(pointer, length, o) { this.#r = raw._msgevents_redact_new(pointer, length, o.publicProfile, o.maxEventBytes, o.maxDepth); }
      setLabel(pointer, length) { raw._msgevents_redact_set_label(this.#r, pointer, length); }
      push(pointer, length) { return raw._msgevents_redact_push(this.#r, pointer, length); }
      finish() { return raw._msgevents_redact_finish(this.#r); }
      delete() { raw._msgevents_redact_delete(this.#r); }
    },
  };
}

function describe(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}

// ---- makeEvent: a new event of the catalog ----------------------------------------------------

const ACTOR_TYPES = ['user', 'system'];
const MAKE_EVENT_INPUT = ['payload', 'actor', 'version', 'idempotencyKey'];

// A UUID version 7 (RFC 9562 section 5.7): 48 bits of Unix milliseconds, the version, 74 random bits.
function uuidV7(ms) {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let time = ms;
  for (let i = 5; i >= 0; --i) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A new event of the catalog: event_name, aggregate_type and schema_version from the event type,
 * aggregate_id from the payload's id field (customer_id, contact_id, ...), a fresh UUIDv7
 * event_id and occurred_at from the current time, the envelope in the catalog's order and a copy
 * of the payload. No WebAssembly is needed; validate the result with `v.validate(event)`.
 */
export function makeEvent(name, input) {
  const type = typeof name === 'string' && Object.hasOwn(eventTypes, name) ? eventTypes[name] : undefined;
  if (type === undefined) throw new TypeError(`makeEvent: expected an event type of the catalog (e.g. "CustomerCreated"), got ${shown(name)}`);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TypeError(`makeEvent: expected { payload, actor, version, idempotencyKey? }, got ${shown(input)}`);
  }
  for (const key of Object.keys(input)) {
    if (!MAKE_EVENT_INPUT.includes(key)) throw new TypeError(`makeEvent: unknown option "${key}" (expected one of ${MAKE_EVENT_INPUT.join(', ')})`);
  }
  const { payload, actor, version, idempotencyKey } = input;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new TypeError(`makeEvent: payload: expected the ${name} payload (an object), got ${shown(payload)}`);
  }
  const aggregateId = payload[type.idField];
  if (typeof aggregateId !== 'string') {
    throw new TypeError(`makeEvent: payload.${type.idField}: expected the ${type.aggregate}'s id (a string), got ${shown(aggregateId)}`);
  }
  if (actor === null || typeof actor !== 'object' || !ACTOR_TYPES.includes(actor.type) || typeof actor.id !== 'string') {
    throw new TypeError(`makeEvent: actor: expected { type: "user" or "system", id: a string }, got ${shown(actor)}`);
  }
  if (typeof version !== 'number') throw new TypeError(`makeEvent: version: expected a positive integer (a number), got ${shown(version)}`);
  if (!Number.isSafeInteger(version) || version < 1) throw new RangeError(`makeEvent: version: expected an integer from 1 to 2^53-1, got ${version}`);
  if (idempotencyKey !== undefined && idempotencyKey !== null && typeof idempotencyKey !== 'string') {
    throw new TypeError(`makeEvent: idempotencyKey: expected a string, got ${shown(idempotencyKey)}`);
  }
  // One reading of the clock, so the id's time and occurred_at agree.
  const now = Date.now();
  const event = {
    event_name: name,
    event_id: uuidV7(now),
    aggregate_type: type.aggregate,
    aggregate_id: aggregateId,
    occurred_at: new Date(now).toISOString(),
    actor: { type: actor.type, id: actor.id },
    version,
  };
  if (typeof idempotencyKey === 'string') event.idempotency_key = idempotencyKey;
  event.schema_version = type.schemaVersion;
  event.payload = structuredClone(payload);
  return event;
}

// validate()'s input: text and bytes as they are; an event object, or an array of them, as JSON
// text, serialised once here (the core reads an array as a JSON array of events).
function eventsAsInput(input, what) {
  if (input === null || typeof input !== 'object' || ArrayBuffer.isView(input) || input instanceof ArrayBuffer) return input;
  let text;
  try {
    text = JSON.stringify(input);
  } catch (cause) {
    throw new TypeError(`${what}: the event object cannot be written as JSON: ${describe(cause)}`, { cause });
  }
  return text;
}

let memo = null; // { locateFile, wasmBinary, promise }

/**
 * Loads the WebAssembly module (once) and returns a validator bound to it. Calls with the same
 * hooks (or none) share one module; different hooks load another.
 */
export function createValidator(hooks) {
  if (hooks === undefined || hooks === null) hooks = {};
  if (typeof hooks !== 'object') {
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
  const beside = () => new URL('../dist/msgevents_wasm.wasm', import.meta.url);
  entry.promise = loadModule(createMsgeventsModule, 'msgevents_wasm.wasm', beside, hooks).then(
    (module) => new Validator(validatorCalls(module), () => { if (memo === entry) memo = null; }, { locateFile }),
    (error) => { if (memo === entry) memo = null; throw error; },
  );
  memo = entry;
  return entry.promise;
}

// ---- options: one check for every method ------------------------------------------------------
//
// Every method that takes options reads them through readOptions(): the same rule for an option
// wherever it appears, the same messages, and unknown names refused (a misspelt option silently
// ignored would give a different result without a word: `{ keys: k }` would redact under a random
// key). undefined or null, for the options object or for one option, means the default.

const DATE_RANGE_MS = 8.64e15; // the JS Date range, either side of the epoch
const MAX_DEPTH = 4294967295; // the core counts depth in 32 bits

function shown(value) {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function positiveInteger(max) {
  return (value, name) => {
    if (typeof value !== 'number') throw new TypeError(`${name}: expected a positive integer (a number), got ${shown(value)}`);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new RangeError(`${name}: expected an integer from 1 to ${max}, got ${value}`);
    }
    return value;
  };
}

// Each option: (value, 'method: options.name', context) => the value for the core, or a throw.
const OPTION_RULES = {
  profile(value, name) {
    if (!PROFILES.includes(value)) throw new RangeError(`${name}: expected "internal" or "public", got ${shown(value)}`);
    return value;
  },
  strict(value, name) {
    if (typeof value !== 'boolean') throw new TypeError(`${name}: expected a boolean, got ${shown(value)}`);
    return value;
  },
  now(value, name, { parseDateTime }) {
    let ms;
    if (value instanceof Date) {
      ms = value.getTime();
      if (Number.isNaN(ms)) throw new RangeError(`${name}: invalid Date`);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > DATE_RANGE_MS) {
        throw new RangeError(`${name}: expected milliseconds since the epoch within the Date range (at most ${DATE_RANGE_MS} either way), got ${value}`);
      }
      ms = Math.trunc(value);
    } else if (typeof value === 'string') {
      ms = parseDateTime(value);
      if (ms === null) throw new RangeError(`${name}: ${JSON.stringify(value)} is not an RFC 3339 date-time (e.g. 2024-05-01T12:00:00Z)`);
    } else {
      throw new TypeError(`${name}: expected a Date, an RFC 3339 string or milliseconds since the epoch, got ${shown(value)}`);
    }
    return ms;
  },
  maxEventBytes: positiveInteger(Number.MAX_SAFE_INTEGER),
  maxDepth: positiveInteger(MAX_DEPTH),
  maxFindings: positiveInteger(Number.MAX_SAFE_INTEGER),
  key(value, name) {
    if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${name}: expected a non-empty string, got ${shown(value)}`);
    return value;
  },
  typePrefix(value, name) {
    if (typeof value !== 'string') throw new TypeError(`${name}: expected a string, got ${shown(value)}`);
    return value;
  },
  format(value, name) {
    if (!REPORT_FORMATS.includes(value)) throw new RangeError(`${name}: expected one of ${REPORT_FORMATS.map((f) => `"${f}"`).join(', ')}, got ${shown(value)}`);
    return value;
  },
  inputs(value, name) {
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && !v.includes('\0'))) {
      throw new TypeError(`${name}: expected a non-empty array of input names (strings without NUL), got ${shown(value)}`);
    }
    return value;
  },
  clock(value, name) {
    if (typeof value !== 'string' || value.includes('\0')) throw new TypeError(`${name}: expected a string naming the clock, got ${shown(value)}`);
    return value;
  },
  startedAt(value, name, context) {
    return OPTION_RULES.now(value, name, context);
  },
  siteUrl(value, name) {
    if (typeof value !== 'string' || !/^https?:\/\/[^\s"<>\\#\0]+$/.test(value)) {
      throw new TypeError(`${name}: expected an http:// or https:// URL without spaces, quotes or '#', got ${shown(value)}`);
    }
    return value;
  },
  withFindings(value, name) {
    if (typeof value !== 'boolean') throw new TypeError(`${name}: expected a boolean, got ${shown(value)}`);
    return value;
  },
  mode(value, name) {
    if (!COMPAT_MODES.includes(value)) throw new RangeError(`${name}: expected one of ${COMPAT_MODES.map((m) => `"${m}"`).join(', ')}, got ${shown(value)}`);
    return value;
  },
  strictConsumers(value, name) {
    if (typeof value !== 'boolean') throw new TypeError(`${name}: expected a boolean, got ${shown(value)}`);
    return value;
  },
};

const VALIDATE_OPTIONS = ['profile', 'strict', 'now', 'maxEventBytes', 'maxDepth', 'maxFindings'];
const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'github'];
const COMPAT_MODES = ['backward', 'forward', 'full', 'none'];
const METHOD_OPTIONS = {
  validate: VALIDATE_OPTIONS,
  createSession: VALIDATE_OPTIONS,
  createBatchSession: VALIDATE_OPTIONS,
  createReport: [...VALIDATE_OPTIONS, 'format', 'inputs', 'clock', 'startedAt', 'siteUrl'],
  validateStream: VALIDATE_OPTIONS,
  redact: ['key', 'profile', 'maxEventBytes', 'maxDepth', 'withFindings'],
  jsonSchema: ['strict'],
  toCloudEvent: ['typePrefix'],
  compat: ['mode', 'strictConsumers'],
};

// The options `method` was given, checked: an object of the names given (defaults are the caller's).
function readOptions(method, options, context) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${method}: expected an options object, got ${shown(options)}`);
  }
  const allowed = METHOD_OPTIONS[method];
  const checked = {};
  for (const name of Object.keys(options)) {
    if (!allowed.includes(name)) {
      throw new TypeError(`${method}: unknown option "${name}" (expected one of ${allowed.join(', ')})`);
    }
    const value = options[name];
    if (value !== undefined && value !== null) checked[name] = OPTION_RULES[name](value, `${method}: options.${name}`, context);
  }
  return checked;
}

// Validation options for the core, always complete: the Embind value_object needs every field.
function coreOptions({ profile = 'internal', strict = false, now, maxEventBytes = 1048576, maxDepth = 64, maxFindings = 100000 }) {
  return { publicProfile: profile === 'public', strict, hasNow: now !== undefined, nowMs: now ?? 0, maxEventBytes, maxDepth, maxFindings };
}

function randomKey() {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// "FINDINGS\0FINDINGS AS TEXT\0TEXT", as the module's RedactSession returns it.
function splitRedaction(result) {
  const first = result.indexOf('\0');
  const second = result.indexOf('\0', first + 1);
  return { findings: JSON.parse(result.slice(0, first)), findingsText: result.slice(first + 1, second), text: result.slice(second + 1) };
}

// "+HEAD\0TAIL", as the module's ReportSession returns the end of an input or of the run.
function splitParts(result) {
  const nul = result.indexOf('\0');
  return { head: result.slice(1, nul), tail: result.slice(nul + 1) };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// Methods Session uses on its Validator, kept off the public surface.
const sessionCall = Symbol('sessionCall');
const sessionPush = Symbol('sessionPush');
const guardCall = Symbol('guardCall');
const bytesCall = Symbol('bytesCall');

class Validator {
  #m;
  #broken = null;
  #forget;
  #catalog = null;
  #hooks;
  #tools = null; // a Promise of the Validator over the tools module, once a tool was called

  constructor(module, forget, hooks) {
    this.#m = module;
    this.#forget = forget;
    this.#hooks = hooks;
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
    if (this.#catalog === null) this.#catalog = deepFreeze(JSON.parse(this.#result('catalogText')));
    return this.#catalog;
  }

  /**
   * The catalog as JSON text, byte for byte what `msgevents catalog` prints: the module's embedded
   * text is the printer's form less its indentation (tests/catalog_test.cpp), indented again here.
   */
  catalogJson() {
    return JSON.stringify(this.catalog, null, 2);
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
   * A Promise: the first call of a tool loads the tools module.
   */
  async jsonSchema(eventName, options) {
    if (eventName !== undefined && eventName !== null && typeof eventName !== 'string') {
      throw new TypeError(`jsonSchema: expected an event name (a string), got ${shown(eventName)}`);
    }
    const { strict = false } = readOptions('jsonSchema', options);
    const tools = await this.#loadTools();
    return JSON.parse(tools.#withInputs('jsonSchema', [eventName ?? ''], (pointer, length) =>
      tools.#result('jsonSchema', pointer, length, strict)));
  }

  /**
   * An RFC 3339 date-time (any offset) as milliseconds since the epoch, or null when the text is
   * not one: the parser the core and the native CLI's --now use.
   */
  parseDateTime(text) {
    if (typeof text !== 'string') throw new TypeError(`parseDateTime: expected a string, got ${shown(text)}`);
    const ms = this.#withInputs('parseDateTime', [text], (pointer, length) => this.#call(() => this.#m.parseDateTime(pointer, length)));
    return Number.isNaN(ms) ? null : ms;
  }

  /**
   * One event (an object or JSON text) as a CloudEvents 1.0 structured-mode event, as
   * `msgevents cloudevent` maps it (`msgevents cloudevent --mapping` prints the table). The event is
   * not validated here; an input that is not an event object rejects with a MsgeventsError.
   * A Promise: the first call of a tool loads the tools module.
   */
  async toCloudEvent(event, options) {
    const { typePrefix = 'msgevents.' } = readOptions('toCloudEvent', options);
    const text = typeof event === 'string' ? event : JSON.stringify(event);
    if (typeof text !== 'string') throw new TypeError(`toCloudEvent: expected an event object or JSON text, got ${shown(event)}`);
    const tools = await this.#loadTools();
    return JSON.parse(tools.#withInputs('toCloudEvent', [text, typePrefix], (pointer, length, prefixPointer, prefixLength) =>
      tools.#result('toCloudEvent', pointer, length, prefixPointer, prefixLength)));
  }

  /**
   * Compares two catalogs (objects as `v.catalog`, or JSON text) against the change policy, as
   * `msgevents compat --format json [--mode M] [--strict] OLD NEW` does: each event type's
   * changes, compatible or breaking in the mode (`mode`: "backward", the default, "forward",
   * "full" or "none"; `strictConsumers: true` for consumers that reject unknown fields), and
   * whether its schema_version bump matches. `ok` is false when one does not.
   * A Promise: the first call of a tool loads the tools module.
   */
  async compat(oldCatalog, newCatalog, options) {
    const { mode = 'backward', strictConsumers = false } = readOptions('compat', options);
    const text = (c, name) => {
      const t = typeof c === 'string' ? c : JSON.stringify(c);
      if (typeof t !== 'string') throw new TypeError(`compat: ${name} must be a catalog object or JSON text`);
      return t;
    };
    const inputs = [text(oldCatalog, 'oldCatalog'), text(newCatalog, 'newCatalog')];
    const tools = await this.#loadTools();
    return JSON.parse(tools.#withInputs('compat', inputs, (oldPointer, oldLength, newPointer, newLength) =>
      tools.#result('compatJson', oldPointer, oldLength, newPointer, newLength, mode, strictConsumers)));
  }

  /**
   * The change policy's table, as `msgevents compat --policy --format json` prints it: the content
   * model, the modes, and for each kind of change its verdict and needed bump in each mode.
   * A Promise: the first call of a tool loads the tools module.
   */
  async compatPolicy() {
    const tools = await this.#loadTools();
    return JSON.parse(tools.#result('compatPolicyJson'));
  }

  // The tools module, loaded on the first call of a tool and kept, as a Validator of its own (the
  // same heap and error conventions); a failed load, or a module that trapped, is forgotten so
  // that the next call loads it again.
  #loadTools() {
    if (this.#tools === null) {
      const entry = import('./tools.js').then(({ createMsgeventsToolsModule, toolsWasmUrl }) =>
        loadModule(createMsgeventsToolsModule, 'msgevents_tools.wasm', toolsWasmUrl, this.#hooks))
        .then((module) => new Validator(module, () => { if (this.#tools === entry) this.#tools = null; }, this.#hooks));
      entry.catch(() => { if (this.#tools === entry) this.#tools = null; });
      this.#tools = entry;
    }
    return this.#tools;
  }

  /**
   * The input (one event, an array or NDJSON, as text) with every pii value replaced by
   * "redacted:" + the first 32 hex digits of HMAC-SHA-256(key, value), as `msgevents redact` does;
   * everything else stays byte for byte. The same key gives the same token for the same value
   * (pass one to match tokens across calls); without `key` a random one is drawn for this call.
   * `profile: 'internal'` removes only credentials.
   *
   * Fails closed: an event that cannot be read (or, in the public profile, placed in the catalog)
   * is replaced by the placeholder string "[event withheld by msgevents redact]", none of its
   * bytes in the output. With `withFindings: true` the result is { text, findings }, a
   * redact.withheld finding for each withheld event; otherwise the text alone.
   */
  redact(input, options) {
    const { key = randomKey(), withFindings = false, ...rest } = readOptions('redact', options);
    if (typeof input !== 'string') throw new TypeError(`redact: expected the events as a string, got ${shown(input)}`);
    const redaction = this[openRedaction](rest, key);
    try {
      const first = redaction.push(input);
      const last = redaction.finish();
      const text = first.text + last.text;
      return withFindings ? { text, findings: first.findings.concat(last.findings) } : text;
    } finally {
      redaction.close();
    }
  }

  /**
   * Validates one JSON event, a JSON array of events or NDJSON. `input` is a string, UTF-8 bytes
   * (Uint8Array, any ArrayBufferView, ArrayBuffer), or an event object or an array of them (what a
   * frontend holds: serialised once, here). Returns the native CLI's JSON report; for an object,
   * lines and columns are those of its compact JSON text, one line.
   */
  validate(input, options) {
    const core = coreOptions(readOptions('validate', options, this.#context));
    const text = this.#withInput(eventsAsInput(input, 'validate'), 'validate', (pointer, length) =>
      this.#result('validateBytes', pointer, length, core));
    return JSON.parse(text);
  }

  /**
   * A streaming session for large inputs: push() chunks (split anywhere, even inside a UTF-8
   * character, when they are bytes) and get the findings each one completed; finish() returns
   * the remaining findings and the summary of the whole input and releases the session.
   */
  createSession(options) {
    const core = coreOptions(readOptions('createSession', options, this.#context));
    const handle = this.#call(() => new this.#m.Session(core));
    return new Session(this, handle);
  }

  /**
   * A session for validation in several Web Workers: its push() checks no event; the input
   * comes out of takeBatch() in batches (bytes: about 128 KiB of whole lines of an NDJSON input,
   * which the checker frames, or up to 512 events framed here of other input) for a
   * checker in another worker (createBatchChecker() there, with the same options), and
   * mergeBatch() takes the results back, in the order the batches were taken, with the findings
   * and summary of one createSession(). A Promise: it is in the tools module.
   */
  async createBatchSession(options) {
    const core = coreOptions(readOptions('createBatchSession', options, this.#context));
    const tools = await this.#loadTools();
    const handle = tools.#call(() => new tools.#m.BatchSession(core));
    return new BatchSession(tools, handle);
  }

  /**
   * Checks the batches of a createBatchSession() wherever it runs (a Web Worker of its own):
   * check(batch) returns the results (bytes) for the session's mergeBatch(). It takes no
   * options: each batch carries its session's. close() releases it. A Promise: it is in the
   * tools module.
   */
  async createBatchChecker(...none) {
    if (none.length > 0 && none[0] !== undefined) {
      throw new TypeError('createBatchChecker: takes no options (each batch carries the options of its session)');
    }
    const tools = await this.#loadTools();
    const handle = tools.#call(() => new tools.#m.Checker());
    return new BatchChecker(tools, handle);
  }

  /**
   * A report in any of the core's formats (text, json, sarif, junit, github), over one or more
   * inputs: exactly what `msgevents validate --format F` prints, written by the same writer.
   * Options: those of validate(), plus format, inputs (the names, in order), clock (what `now`
   * came from, e.g. "system"), startedAt (a Date, RFC 3339 text or ms) and siteUrl (the base of
   * SARIF's helpUri). `now` and `startedAt` default to the current time.
   *
   *   const r = await v.createReport({ format: 'sarif', inputs: ['a.ndjson'] });
   *   out(r.begin()); out(r.beginInput('a.ndjson')); out(r.push(chunk)); ...
   *   const input = r.endInput(); const run = r.finish();
   *
   * The output is run.head + begin + (input.head + beginInput + push... + input.tail) for each
   * input + run.tail. The heads are "" unless `holdsBack` (JUnit, whose counts open each suite):
   * then keep the parts aside and put them together in that order. Push chunks of at most a few
   * hundred KiB: a chunk's text is returned whole. close() releases it (finish() does too).
   * A Promise of the report: the writer is in the tools module, which the first call loads.
   */
  async createReport(options) {
    const checked = readOptions('createReport', options, this.#context);
    const { format = 'text', inputs, clock = 'system', startedAt, siteUrl = 'http://127.0.0.1:8080/', ...validation } = checked;
    if (inputs === undefined) throw new TypeError('createReport: options.inputs is required (the names of the inputs, in order)');
    const started = startedAt ?? Date.now();
    const core = coreOptions({ now: started, ...validation });
    const strings = [format, clock, siteUrl, ...inputs].join('\0');
    const tools = await this.#loadTools();
    const handle = tools.#withInputs('createReport', [strings], (pointer, length) =>
      tools.#call(() => new tools.#m.ReportSession(core, started, pointer, length)));
    return new Report(tools, handle);
  }

  /** Validates an (async) iterable of chunks through a session; same result as validate(). */
  async validateStream(chunks, options) {
    const session = this.createSession(readOptions('validateStream', options, this.#context));
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

  // A redaction chunk by chunk, for redact() and the package's CLI: options as readOptions('redact')
  // gives them (no key), the key a non-empty string or bytes. push(chunk) and finish() return
  // { text, findings }; close() releases it (finish() does not).
  [openRedaction]({ profile = 'public', maxEventBytes = 1048576, maxDepth = 64 }, key, label) {
    if (!(typeof key === 'string' || key instanceof Uint8Array) || key.length === 0) {
      throw new TypeError('redact: the key must be a non-empty string or bytes');
    }
    const js = { publicProfile: profile === 'public', maxEventBytes, maxDepth };
    let handle = this.#withInputs('redact', [key], (pointer, length) => this.#call(() => new this.#m.RedactSession(pointer, length, js)));
    // With a label, each result also has its findings in the report writer's text format.
    if (typeof label === 'string') this.#withInputs('redact', [label], (pointer, length) => this.#call(() => handle.setLabel(pointer, length)));
    const live = () => {
      if (handle === null) throw new MsgeventsError('msgevents: redact: the redaction is closed');
      return handle;
    };
    return {
      push: (chunk) => splitRedaction(this.#withInput(chunk, 'redact', (pointer, length) =>
        this.#checked('redact', this.#call(() => live().push(pointer, length))))),
      finish: () => splitRedaction(this.#checked('redact', this.#call(() => live().finish()))),
      close: () => {
        if (handle === null) return;
        const h = handle;
        handle = null;
        try {
          this.#call(() => h.delete());
        } catch { /* the module failed; its memory is gone with it */ }
      },
    };
  }

  // What option checks need from the module.
  get #context() {
    return { parseDateTime: (text) => this.parseDateTime(text) };
  }

  // For Session: one guarded call on its handle, the input copied into the heap.
  [sessionCall](handle, method, input, ...extra) {
    if (input === undefined) return this.#checked(method, this.#call(() => handle[method](...extra)));
    return this.#withInput(input, method, (pointer, length) =>
      this.#checked(method, this.#call(() => handle[method](pointer, length))));
  }

  [guardCall](fn) {
    return this.#call(fn);
  }

  // For Session: its push of one piece of a chunk, copied into the heap once. The core reads as
  // much of it in a call as keeps the findings that call returns to a few MB (handle.taken()
  // says how much), so a dense piece takes several calls, each one's findings yielded as the
  // core's JSON text before the next is made.
  // live() gives the handle, or throws once the session is closed (between two yields, say).
  // The copy is freed before the last text is yielded: only a piece dense in findings keeps it
  // while its caller writes a text.
  *[sessionPush](live, piece) {
    const held = [];
    const release = () => {
      if (!this.#broken) for (let i = 0; i < held.length; i += 2) this.#m._free(held[i]);
      held.length = 0;
    };
    try {
      const [pointer, length] = this.#copyIn(piece, 'push', held);
      held.push(pointer, length);
      for (let done = 0; ;) {
        const handle = live();
        const text = this.#checked('push', this.#call(() => handle.push(pointer + done, length - done)));
        const took = this.#call(() => handle.taken());
        done += took;
        if (done >= length) {
          release();
          yield text;
          return;
        }
        if (!(took > 0)) throw new MsgeventsError('msgevents: push: the module read none of the bytes it was given');
        yield text;
      }
    } finally {
      release();
    }
  }

  // The bytes a call kept in the module (a batch, its results), copied out; null when it returned
  // 0 and set no error (nothing to return); a MsgeventsError when it set one.
  [bytesCall](handle, method, input) {
    const m = this.#m;
    const length = input === undefined
      ? this.#call(() => handle[method]())
      : this.#withInput(input, method, (pointer, size) => this.#call(() => handle[method](pointer, size)));
    if (!(length > 0)) {
      const error = this.#call(() => m.lastError());
      if (error) throw new MsgeventsError(`msgevents: ${error}`);
      return null;
    }
    try {
      const pointer = this.#call(() => m.resultPointer());
      return m.HEAPU8.slice(pointer, pointer + length);
    } finally {
      if (!this.#broken) m.releaseResult();
    }
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
    return this.#withInputs(what, [input], use);
  }

  // The one way anything enters the module: each input (a string, encoded by TextEncoder, so a
  // lone surrogate becomes U+FFFD as in every other UTF-8 encoder; or bytes, copied) goes into
  // memory from malloc; use(pointer0, length0, pointer1, length1, ...) runs; all of it is freed.
  #withInputs(what, inputs, use) {
    const m = this.#m;
    const held = [];
    try {
      for (const input of inputs) held.push(...this.#copyIn(input, what, held));
      return use(...held);
    } finally {
      if (!this.#broken) for (let i = 0; i < held.length; i += 2) m._free(held[i]);
    }
  }

  // [pointer, length] of a fresh heap copy of `input`. The pointer is pushed on `held` as soon as
  // it exists (and replaced when realloc moves it), so the caller frees it whatever happens.
  #copyIn(input, what, held) {
    const m = this.#m;
    const slot = held.length;
    const outOfMemory = (bytes) => new MsgeventsError(`msgevents: ${what}: out of memory for ${bytes} bytes of input`);
    if (typeof input === 'string') {
      // Encode straight into the heap: one copy. Guess one byte a code unit, grow when needed.
      let capacity = input.length + 1;
      let pointer = this.#call(() => m._malloc(capacity));
      if (!pointer) throw outOfMemory(capacity);
      held.push(pointer, 0);
      let length = 0;
      let read = 0;
      for (;;) {
        const rest = read === 0 ? input : input.substring(read);
        const r = encoder.encodeInto(rest, m.HEAPU8.subarray(pointer + length, pointer + capacity));
        read += r.read;
        length += r.written;
        if (read >= input.length) break;
        capacity = length + (input.length - read) * 3 + 1;
        const grown = this.#call(() => m._realloc(pointer, capacity));
        if (!grown) throw outOfMemory(capacity);
        pointer = grown;
        held[slot] = pointer;
      }
      held.length = slot;
      return [pointer, length];
    }
    let bytes;
    if (input instanceof Uint8Array) bytes = input;
    else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
    else throw new TypeError(`${what}: expected a string, a Uint8Array or an ArrayBuffer, got ${input === null ? 'null' : typeof input}`);
    const pointer = this.#call(() => m._malloc(bytes.length || 1));
    if (!pointer) throw outOfMemory(bytes.length);
    m.HEAPU8.set(bytes, pointer);
    return [pointer, bytes.length];
  }
}

// Frees the Embind handle when a session is dropped without finish() or close().
const orphans = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((handle) => { try { handle.delete(); } catch { /* module gone */ } })
  : null;

// A report's push goes into the module in pieces of PUSH_PIECE, so that no call builds more than
// a few MB of findings; a session's in pieces of SESSION_PIECE, which bounds only the heap copy
// (the core bounds each call's findings: Validator[sessionPush]); a batch session's in
// BATCH_PUSH_PIECE (its push checks nothing).
const PUSH_PIECE = 16 * 1024;
const SESSION_PIECE = 1024 * 1024;
const BATCH_PUSH_PIECE = 1024 * 1024;
const isHighSurrogate = (unit) => unit >= 0xd800 && unit <= 0xdbff;
const byteLengthOf = (chunk) => (chunk instanceof ArrayBuffer ? chunk.byteLength : ArrayBuffer.isView(chunk) ? chunk.byteLength : 0);
const asUint8Array = (chunk) => (chunk instanceof ArrayBuffer ? new Uint8Array(chunk)
  : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));

// The pieces of a chunk, each at most `most` bytes (or code units): the chunk itself when small.
function* pieces(chunk, most = PUSH_PIECE) {
  const size = typeof chunk === 'string' ? chunk.length : byteLengthOf(chunk);
  if (size <= most) {
    yield chunk;
    return;
  }
  const bytes = typeof chunk === 'string' ? null : asUint8Array(chunk);
  for (let at = 0; at < size;) {
    let end = Math.min(size, at + most);
    // Never cut a string between the two halves of a surrogate pair (each would become U+FFFD).
    if (bytes === null && end < size && isHighSurrogate(chunk.charCodeAt(end - 1))) end -= 1;
    yield bytes === null ? chunk.substring(at, end) : bytes.subarray(at, end);
    at = end;
  }
}

// A handle into the module that the JavaScript side owns (a session or a report): released by
// close(), which finish() calls, or by the FinalizationRegistry when a caller forgets.
// Kept off the public surface of sessions and reports, as sessionCall is off the validator's.
const ownCall = Symbol('call');
const ownGuard = Symbol('guard');
const ownLive = Symbol('live');
const ownBytes = Symbol('bytes');
const ownPush = Symbol('push');

class OwnedHandle {
  #validator;
  #handle;
  #noun;

  constructor(validator, handle, noun) {
    this.#validator = validator;
    this.#handle = handle;
    this.#noun = noun;
    orphans?.register(this, handle, this);
  }

  // One guarded call of `method` on the live handle; `input` (if any) is copied into the heap.
  [ownCall](method, input, ...extra) {
    return this.#validator[sessionCall](this[ownLive](method), method, input, ...extra);
  }

  [ownGuard](fn) {
    return this.#validator[guardCall](fn);
  }

  // A session's push of one piece (Validator[sessionPush]): the texts it makes.
  [ownPush](piece) {
    return this.#validator[sessionPush](() => this[ownLive]('push'), piece);
  }

  // The same, for a call whose result is bytes (null when it has none).
  [ownBytes](method, input) {
    return this.#validator[bytesCall](this[ownLive](method), method, input);
  }

  [ownLive](what) {
    if (this.#handle === null) throw new MsgeventsError(`msgevents: ${this.#noun}.${what}(): the ${this.#noun} is finished or closed`);
    return this.#handle;
  }

  /** Releases the module's memory for it. Safe to call more than once. */
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
}

class Session extends OwnedHandle {
  constructor(validator, handle) {
    super(validator, handle, 'session');
  }

  /** Feeds the next chunk (string or bytes); returns the findings it completed. */
  push(chunk) {
    let findings = null;
    for (const part of this[rawPush](chunk)) {
      const more = JSON.parse(part);
      if (findings === null) findings = more;
      else for (const f of more) findings.push(f);
    }
    return findings ?? [];
  }

  // The findings as the core's JSON texts (arrays), for a caller that writes them byte for byte as
  // they come: the chunk goes into the module SESSION_PIECE bytes (or code units) at a time, and no
  // text is more than a few MB, however dense the input is in findings (1 MiB of `{}` lines
  // makes 2.8 million): the core stops reading a piece once it has made that much.
  *[rawPush](chunk) {
    this[ownLive]('push');
    for (const piece of pieces(chunk, SESSION_PIECE)) yield* this[ownPush](piece);
  }

  /**
   * Counts so far: { events, critical, error, warning, info, bytes, rules }; `rules` counts the
   * findings push() returned (or muted) by code and severity: { CODE: { critical, error, warning, info } }.
   */
  progress() {
    return JSON.parse(this[ownCall]('progress'));
  }

  /**
   * From now on push() counts the findings of rule `code` (in progress().rules) but does not
   * return them; finish() still returns all of its own. For a caller that lists only the first
   * findings of each rule: the others are never built in JS.
   */
  mute(code) {
    if (typeof code !== 'string') throw new TypeError(`mute: expected a rule code (a string), got ${shown(code)}`);
    this[ownCall]('mute', code);
  }

  /**
   * Ends the input: { summary, findings (those not returned by push), aggregates,
   * aggregates_omitted }. Releases the session. For a batch session, the batches not taken or
   * not merged by then are checked here, so nothing is lost.
   */
  finish() {
    try {
      return JSON.parse(this[ownCall]('finish'));
    } finally {
      this.close();
    }
  }
}

/** A session whose events are checked by BatchCheckers in other workers (Validator.createBatchSession). */
class BatchSession extends Session {
  /**
   * Feeds the next chunk. A batch session checks nothing here (its findings come from mergeBatch()),
   * so a chunk goes in pieces of up to 1 MiB: fewer calls, same result.
   */
  push(chunk) {
    this[ownLive]('push');
    const findings = [];
    for (const piece of pieces(chunk, BATCH_PUSH_PIECE)) for (const f of JSON.parse(this[ownCall]('push', piece))) findings.push(f);
    return findings;
  }

  /** A batch session's next batch to check (a Uint8Array), or null when none is ready yet. */
  takeBatch() {
    return this[ownBytes]('takeBatch');
  }

  /**
   * A batch session: the results (a checker's check()) of the oldest batch taken and not yet
   * merged; returns the findings merging completed, as push() does.
   */
  mergeBatch(results) {
    if (!(results instanceof Uint8Array)) throw new TypeError(`mergeBatch: expected the results of a batch (a Uint8Array), got ${shown(results)}`);
    return JSON.parse(this[ownCall]('mergeBatch', results));
  }

  /** No more input: frames the rest, so the last batches come out of takeBatch(); returns the findings it completed. */
  closeInput() {
    return JSON.parse(this[ownCall]('closeInput'));
  }
}

/** Checks the batches of a batch session (Validator.createBatchChecker). */
class BatchChecker extends OwnedHandle {
  constructor(validator, handle) {
    super(validator, handle, 'checker');
  }

  /** The results (a Uint8Array) of a batch (takeBatch()'s bytes), for the session's mergeBatch(). */
  check(batch) {
    if (!(batch instanceof Uint8Array)) throw new TypeError(`check: expected a batch (a Uint8Array), got ${shown(batch)}`);
    return this[ownBytes]('check', batch);
  }
}

/** A report being written (Validator.createReport). */
class Report extends OwnedHandle {
  constructor(validator, handle) {
    super(validator, handle, 'report');
  }

  /** True when the parts must be put together in order rather than written as they come (JUnit). */
  get holdsBack() {
    return this[ownGuard](() => this[ownLive]('holdsBack').holdsBack());
  }

  /** The totals of the inputs ended so far, as the json format's summary. */
  get totals() {
    return JSON.parse(this[ownCall]('totals'));
  }

  /** The report's opening text. */
  begin() {
    return this[ownCall]('begin').slice(1);
  }

  /** Starts the next input (by its name, as listed in options.inputs); returns its opening text. */
  beginInput(name) {
    if (typeof name !== 'string') throw new TypeError(`beginInput: expected the input's name (a string), got ${shown(name)}`);
    return this[ownCall]('beginInput', name).slice(1);
  }

  /** Feeds the next chunk (string or bytes) of the current input; returns the text it completed. */
  push(chunk) {
    let out = '';
    for (const part of this[rawPush](chunk)) out += part;
    return out;
  }

  // The text of each piece of at most PUSH_PIECE bytes of the chunk, for the CLI to write as it comes.
  *[rawPush](chunk) {
    for (const piece of pieces(chunk)) yield this[ownCall]('push', piece).slice(1);
  }

  // For the CLI's --jobs: handOut() before beginInput() makes push() only cut or frame the input,
  // and push(chunk) takes a chunk in pieces of up to 1 MiB (it writes no finding: those come with
  // the merges); take() gives the next batch (bytes) or null, merge(results) the text the oldest
  // batch's results complete, close() (after the last push) the text framing the rest completes.
  // endInput() checks any batch not taken or not merged.
  [reportBatches]() {
    return {
      handOut: () => this[ownGuard](() => this[ownLive]('handOut').handOutBatches()),
      push: (chunk) => {
        let out = '';
        for (const piece of pieces(chunk, BATCH_PUSH_PIECE)) out += this[ownCall]('push', piece).slice(1);
        return out;
      },
      take: () => this[ownBytes]('takeBatch'),
      merge: (results) => this[ownCall]('mergeBatch', results).slice(1),
      close: () => this[ownCall]('closeInput').slice(1),
    };
  }

  /** Ends the current input: { head, tail } (see createReport for where they go). */
  endInput() {
    return splitParts(this[ownCall]('endInput'));
  }

  /** Ends the report: { head, tail }. `endedAt` (a Date or ms) defaults to now. Releases the report. */
  finish(endedAt) {
    const ms = endedAt instanceof Date ? endedAt.getTime() : endedAt ?? Date.now();
    if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError(`finish: expected a Date or milliseconds, got ${shown(endedAt)}`);
    try {
      return splitParts(this[ownCall]('finish', undefined, ms));
    } finally {
      this.close();
    }
  }

}

function deepFreeze(value) {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze(value[key]);
  }
  return value;
}
