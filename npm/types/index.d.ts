// Types of the msgevents API (hand-written; the event types in ./events are generated from the
// catalog by scripts/gen-types.mjs).
export * from '../dist/events.js';
import type { Actor, DomainEvent, EventName, EventOf, PayloadOf } from '../dist/events.js';

export type Severity = 'critical' | 'error' | 'warning' | 'info';
export type Profile = 'internal' | 'public';

/** One problem found in the input. */
export interface Finding {
  /** Stable rule code, e.g. "envelope.event_id.format". */
  code: string;
  severity: Severity;
  /** What is wrong and what was expected. */
  message: string;
  /** JSON Pointer (RFC 6901) inside the event; "" for the event itself. */
  pointer: string;
  /** 1-based line in the input. */
  line: number;
  /** 1-based column, in Unicode code points. */
  column: number;
  /** 0-based index of the event; -1 for input-level findings. */
  event_index: number;
}

export interface Summary {
  events: number;
  critical: number;
  error: number;
  warning: number;
  info: number;
  /** Present (true) only when a limit left the report incomplete; the counts above still count every finding. */
  incomplete?: true;
  /** Findings counted but not listed: an event lists at most 100 (then event.findings_truncated). */
  findings_omitted?: number;
  /** Events over maxEventBytes, skipped unread. */
  events_skipped?: number;
  /** The input was not UTF-8 JSON events (input.encoding, input.not_json) and was not read. */
  input_rejected?: boolean;
}

/** What the stream showed for one aggregate instance. */
export interface AggregateSummary {
  aggregate_type: string;
  aggregate_id: string;
  events: number;
  first_version: number;
  last_version: number;
  final_state: string;
  problems: number;
}

/** A validation report: exactly the native CLI's `--format json` output for one input. */
export interface Report {
  summary: Summary;
  findings: Finding[];
  /** Per aggregate instance, what the stream showed: those with stream problems first, up to a limit. */
  aggregates: AggregateSummary[];
  /** Aggregates seen but left out of `aggregates` (the list is capped). */
  aggregates_omitted: number;
}

/**
 * Options of every method are checked alike: an unknown name throws a TypeError, a value of the
 * wrong type a TypeError, one out of range a RangeError; undefined or null (for one option or for
 * the whole object) means the default.
 */
export interface ValidateOptions {
  /** "internal" (default) or "public": in the public profile every pii field must be redacted. */
  profile?: Profile | null;
  /** Unknown fields are errors instead of warnings. */
  strict?: boolean | null;
  /**
   * The caller's clock for the future-timestamp check: a Date, an RFC 3339 string or epoch ms
   * (a finite number within the Date range, |ms| <= 8.64e15). Without it the check is skipped.
   */
  now?: Date | string | number | null;
  /** Events larger than this many bytes get input.event_too_large: an integer from 1 to 2^53-1 (default 1 MiB). */
  maxEventBytes?: number | null;
  /** Nesting deeper than this gets json.too_deep: an integer from 1 to 2^32-1 (default 64). */
  maxDepth?: number | null;
  /**
   * The run lists at most this many findings, then one input.findings_limit where it stopped; the
   * summary counts every finding and says "incomplete": an integer from 1 to 2^53-1 (default 100000).
   */
  maxFindings?: number | null;
}

export interface RedactOptions {
  /** The HMAC key; the same key gives the same token for the same value. Default: random for this call. */
  key?: string | null;
  /** "public" (default): pii, contact data in free text and credentials; "internal": credentials only. */
  profile?: Profile | null;
  /** Events larger than this many bytes are withheld unread (default 1 MiB). */
  maxEventBytes?: number | null;
  /** Events nested deeper than this are withheld (default 64). */
  maxDepth?: number | null;
  /** Return { text, findings } instead of the text alone. */
  withFindings?: boolean | null;
}

/** redact()'s result with `withFindings: true`. */
export interface RedactResult {
  /** The redacted events; each withheld event replaced by the placeholder string. */
  text: string;
  /** A redact.withheld finding (severity error) for each withheld event or stretch of content outside events. */
  findings: Finding[];
}

/** UTF-8 bytes or text. */
export type Input = string | Uint8Array | ArrayBufferView | ArrayBuffer;

export interface Progress extends Summary {
  /** Bytes pushed so far. */
  bytes: number;
  /** The findings push() returned or muted, by rule code and severity. */
  rules: Record<string, { critical: number; error: number; warning: number; info: number }>;
}

/** A streaming validation of one input; see Validator.createSession(). */
export interface Session {
  /** Feeds the next chunk; returns the findings it completed. Byte chunks may split anywhere. */
  push(chunk: Input): Finding[];
  /** Counts so far. */
  progress(): Progress;
  /** push() stops returning this rule's findings; they are still counted in progress().rules. */
  mute(code: string): void;
  /** Ends the input: the findings push() has not returned, and the summary of the whole input. Releases the session. */
  finish(): Report;
  /** Releases the session without finishing it. */
  close(): void;
}

/**
 * A session whose events are checked by BatchCheckers in other Web Workers; see
 * Validator.createBatchSession(). push() frames and checks nothing itself.
 */
export interface BatchSession extends Session {
  /** The next batch to check (about 128 KiB of whole NDJSON lines, or up to 512 events of other input), or null when none is ready yet. */
  takeBatch(): Uint8Array | null;
  /** The results of the oldest batch taken and not merged (in that order); the findings merging completed. */
  mergeBatch(results: Uint8Array): Finding[];
  /** No more input: frames the rest, so the last batches come out of takeBatch(). */
  closeInput(): Finding[];
}

/** Checks the batches of a BatchSession; see Validator.createBatchChecker(). */
export interface BatchChecker {
  /** The results of a batch, for the session's mergeBatch(). */
  check(batch: Uint8Array): Uint8Array;
  /** Releases the checker. */
  close(): void;
}

/** The formats of the core's report writer, as `msgevents validate --format` names them. */
export type ReportFormat = 'text' | 'json' | 'sarif' | 'junit' | 'github';

export interface ReportOptions extends ValidateOptions {
  /** Default "text". */
  format?: ReportFormat | null;
  /** The names of the inputs, in the order they are written (required). */
  inputs: string[];
  /** Where `now` came from, written in the report: "system" (default), "--now", ... */
  clock?: string | null;
  /** When the run started (default now). */
  startedAt?: Date | string | number | null;
  /** The base of SARIF's helpUri (SITE + "checklist/#" + CODE, the static checklist page at the rule's anchor); default "http://127.0.0.1:8080/". */
  siteUrl?: string | null;
}

/** What goes before and after a part of the report (see Validator.createReport). */
export interface ReportParts {
  head: string;
  tail: string;
}

/**
 * A report being written. Output = finish().head + begin() + for each input (endInput().head +
 * beginInput() + push()... + endInput().tail) + finish().tail; the heads are "" unless holdsBack.
 */
export interface ReportWriter {
  /** True when the parts must be kept aside and put together in order (JUnit). */
  readonly holdsBack: boolean;
  /** The totals of the inputs ended so far. */
  readonly totals: Summary;
  begin(): string;
  beginInput(name: string): string;
  /** The text the chunk completed. */
  push(chunk: Input): string;
  endInput(): ReportParts;
  /** Ends the report and releases it. */
  finish(endedAt?: Date | number | null): ReportParts;
  close(): void;
}

/** A rule of the registry the validator and the checklist share. */
export interface Rule {
  code: string;
  severity: Severity;
  category: 'Input' | 'Envelope' | 'Payload' | 'Consistency' | 'Privacy' | 'Stream' | 'Redaction';
  title: string;
  explanation: string;
  /** When the severity becomes error: in strict mode, in the public profile, or never (null). */
  escalation: 'strict' | 'public' | null;
}

export interface CatalogField {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  required: boolean;
  privacy: 'identifier' | 'internal' | 'pii' | 'secret';
  description: string;
  format?: string;
  enum?: string[];
  min_length?: number;
  max_length?: number;
  minimum?: number;
  maximum?: number;
  free_text?: boolean;
  items?: { type: string; format?: string; enum?: string[]; aggregate_attributes?: boolean };
  min_items?: number;
  max_items?: number;
  unique_items?: boolean;
}

export interface CatalogTransition {
  from: string | null;
  to: string;
  event: string;
}

export interface CatalogAggregate {
  name: string;
  id_field: string;
  description: string;
  states: string[];
  transitions: CatalogTransition[];
  attributes: string[];
}

export interface CatalogEvent {
  name: string;
  aggregate: string;
  purpose: string;
  schema_version: string;
  creates?: boolean;
  fields: CatalogField[];
  invariants: string[];
  preconditions: string[];
  postconditions: string[];
  traceability: string[];
  delivery: { ordering_key: string; idempotency_key: string; duplicates: string };
  examples: Record<string, unknown>[];
}

/** The catalog, as `msgevents catalog` prints it. */
export interface Catalog {
  catalog_version: string;
  title: string;
  description: string;
  envelope: { name: string; type: string; required: boolean; description: string }[];
  decisions: { topic: string; text: string }[];
  change_policy: string[];
  aggregates: CatalogAggregate[];
  events: CatalogEvent[];
}

/** An event object or an array of them, as validate() takes them besides text and bytes. */
export type EventInput = DomainEvent | readonly DomainEvent[] | Record<string, unknown> | readonly Record<string, unknown>[];

/** What makeEvent() needs besides the event type. */
export interface MakeEventInput<N extends EventName> {
  /** The event type's payload; its id field (customer_id, ...) becomes the envelope's aggregate_id. */
  payload: PayloadOf<N>;
  actor: Actor;
  /** The aggregate's version after this event: 1 for a creating event, an integer up to 2^53-1. */
  version: number;
  /** The producer's key for the logical change (the catalog's producers use "<aggregate_id>:<version>"). */
  idempotencyKey?: string | null;
}

/**
 * A new event of type `name`: a fresh UUIDv7 event_id, occurred_at now, aggregate_type,
 * aggregate_id and schema_version filled in from the catalog. Throws a TypeError or RangeError
 * on input of the wrong shape (an unknown name, no id field, a version that is not a positive integer).
 */
export function makeEvent<N extends EventName>(name: N, input: MakeEventInput<N>): EventOf<N>;

export interface Validator {
  /** The package's version. */
  readonly version: string;
  /** The catalog (parsed once, frozen). */
  readonly catalog: Readonly<Catalog>;
  /** The catalog as JSON text, byte for byte what `msgevents catalog` prints. */
  catalogJson(): string;
  /** Bytes of WebAssembly memory the module holds (it grows, it never shrinks). */
  readonly memoryBytes: number;
  /** Validates one JSON event, a JSON array of events or NDJSON; or an event object or an array of them. */
  validate(input: Input | EventInput, options?: ValidateOptions | null): Report;
  /** A streaming session for large inputs. Call finish() or close() when done. */
  createSession(options?: ValidateOptions | null): Session;
  /** A session for a pool of Web Workers: its events are checked by BatchCheckers (tools module, async). */
  createBatchSession(options?: ValidateOptions | null): Promise<BatchSession>;
  /** Checks a BatchSession's batches in another Web Worker; each batch carries its session's options (tools module, async). */
  createBatchChecker(): Promise<BatchChecker>;
  /** A report in one of the core's formats over one or more inputs: what `msgevents validate --format F` prints. */
  createReport(options: ReportOptions): Promise<ReportWriter>;
  /** Validates an (async) iterable of chunks; the same report as validate() on the whole input. */
  validateStream(chunks: Iterable<Input> | AsyncIterable<Input>, options?: ValidateOptions | null): Promise<Report>;
  /**
   * The JSON Schema (2020-12) of one event type, or with no name the bundle of every type.
   * Async, as the other tools: the first call of one loads the tools module (msgevents_tools.wasm).
   */
  jsonSchema(eventName?: EventName | (string & {}) | null, options?: { strict?: boolean | null } | null): Promise<Record<string, unknown>>;
  /** An RFC 3339 date-time (any offset) as epoch milliseconds, or null when the text is not one. */
  parseDateTime(text: string): number | null;
  /** One event as a CloudEvents 1.0 structured-mode event (see `msgevents cloudevent --mapping`). */
  toCloudEvent(event: object | string, options?: { typePrefix?: string | null } | null): Promise<Record<string, unknown>>;
  /** The change-policy report for two catalogs, as `msgevents compat --format json [--mode M] [--strict] OLD NEW` prints it. */
  compat(oldCatalog: object | string, newCatalog: object | string, options?: CompatOptions | null): Promise<CompatReport>;
  /** The change policy's table, as `msgevents compat --policy --format json` prints it. */
  compatPolicy(): Promise<CompatPolicy>;
  /**
   * The events with every pii value replaced by "redacted:" + 32 hex digits (HMAC-SHA-256 under
   * `key`, a random key per call when none is given); the rest byte for byte. Fails closed: an
   * event that cannot be read (or, in the public profile, placed in the catalog) is replaced by
   * the placeholder string "[event withheld by msgevents redact]"; `withFindings: true` also
   * returns a redact.withheld finding for each.
   */
  redact(input: string, options: RedactOptions & { withFindings: true }): RedactResult;
  redact(input: string, options?: (RedactOptions & { withFindings?: false | null }) | null): string;
  /** The validation checklist, Markdown. */
  checklist(): string;
  /** The rule registry. */
  rules(): Rule[];
}

export interface CreateValidatorOptions {
  /** Maps the module's file name ("msgevents_wasm.wasm") to the URL to load it from. */
  locateFile?: (path: string, prefix: string) => string;
  /** The .wasm bytes, when the caller has them already (skips the fetch / file read). */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** Loads the WebAssembly module once (memoised per hooks) and returns a validator bound to it. */
export function createValidator(options?: CreateValidatorOptions | null): Promise<Validator>;

/** A failure of the module or of a call to it (bad input is not an error: it gives findings). */
export class MsgeventsError extends Error {
  name: 'MsgeventsError';
}

export type CompatMode = 'backward' | 'forward' | 'full' | 'none';

export interface CompatOptions {
  /** backward (default): a consumer on the new catalog reads every event written under the old one; forward: the reverse; full: both; none: no check. */
  mode?: CompatMode | null;
  /** Consumers reject unknown fields (closed content model); by default they tolerate them. */
  strictConsumers?: boolean | null;
}

/** `compat()`'s report: every event type of either catalog, its changes and the bump verdict. */
export interface CompatReport {
  mode: CompatMode;
  strict_consumers: boolean;
  old_catalog_version: string;
  new_catalog_version: string;
  ok: boolean;
  summary: { events: number; unchanged: number; changed: number; added: number; removed: number; problems: number };
  events: Array<{
    name: string;
    status: 'unchanged' | 'changed' | 'added' | 'removed';
    old_version: string;
    new_version: string;
    compatibility: 'none' | 'docs' | 'compatible' | 'breaking';
    required_bump: 'none' | 'minor' | 'major' | 'backwards';
    bump: 'none' | 'minor' | 'major' | 'backwards';
    ok: boolean;
    verdict: string;
    changes: CompatChange[];
  }>;
  catalog_changes: CompatChange[];
  /** Event types removed and added to the same aggregate with nearly the same fields. */
  renames: Array<{ from: string; to: string; shared_fields: number; total_fields: number }>;
  problems: string[];
  notes: string[];
}

/** A verdict of the policy table: compatible or breaking, and the bump it needs. */
export interface CompatVerdict {
  compatibility: 'docs' | 'compatible' | 'breaking';
  bump: 'none' | 'minor' | 'major' | 'new_event_name';
}

/** `compatPolicy()`: the content model, the modes, and each kind of change in each mode. */
export interface CompatPolicy {
  content_model: string;
  modes: Array<{ name: CompatMode; meaning: string }>;
  rows: Array<{
    kind: string;
    change: string;
    scope: 'schema_version' | 'catalog_version';
    backward: { reads: 'yes' | 'if_tolerant' | 'if_strict' | 'no'; why: string };
    forward: { reads: 'yes' | 'if_tolerant' | 'if_strict' | 'no'; why: string };
    major_whatever_the_mode: boolean;
    verdicts: Record<CompatMode, CompatVerdict>;
    strict_verdicts: Record<CompatMode, CompatVerdict>;
  }>;
}

export interface CompatChange {
  kind: string;
  compatibility: 'docs' | 'compatible' | 'breaking';
  field: string;
  detail: string;
}
