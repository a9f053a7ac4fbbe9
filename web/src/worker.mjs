// The validator's module Web Worker: runs the msgevents npm package (the same build npm users get)
// off the page's main thread, so the page never freezes, whatever the size of the input.
//
// Input of any size goes the same way: a Blob (a File, or the editor's text) read in chunks with
// Blob.slice() and pushed through one streaming session of the package. Memory stays bounded
// whatever the input: one chunk at a time, counts per rule and severity for every finding, and at
// most KEEP_FIRST findings (the first ones) plus KEEP_PER_RULE of each rule beyond them; the rest
// are counted, not kept. The full report, in any of the core's formats, is written by a second
// pass over the Blob with the package's createReport (the writer the CLIs use, so the bytes are
// theirs), into Blobs of at most PART_BYTES each.
//
// A large input (more than POOL_MIN_BYTES, on a machine of at least 3 cores) is checked in
// parallel: the session frames it into batches of events, a pool of sub-workers (batch_pool.mjs,
// batch_worker.mjs) runs the per-event checks of each batch, and the session merges the results in
// input order and runs the stream checks here, so the findings are byte for byte those of one
// session alone. This worker checks a batch itself too whenever the sub-workers have all they can
// hold, or none has loaded its module yet (PooledRun with a checker). `workers` in a validate message (the page's ?workers=N) forces the number of
// checking workers: 1 is one session here, as for a small input.
//
// Messages in:  {type:'validate', id, blob, name, options:{profile, strict, now}, workers}
//               {type:'cancel', id} | {type:'page', id, index, severities, code, order} | {type:'report', id, format}
//               {type:'redact', id, text, key, profile}
// Messages out: {type:'ready', catalog, rules, can_redact, version} | {type:'fatal', message}
//               {type:'progress', id, bytes, total, events, counts, total_findings, fresh}: fresh =
//               the findings kept since the last progress message, for the list to fill as it runs
//               {type:'done', id, summary, by_code, total_findings, kept, cancelled, aggregates, workers, error}:
//               workers = the number of checking sub-workers the run had (0: none, one session here)
//               {type:'page', id, index, order, findings, total, total_found} | {type:'report', id, format, blob, error}
//               {type:'redacted', id, text, withheld, error}: withheld = the redact.withheld
//               findings (the first 20) and their number, the events redaction could not read
import { createValidator } from './msgevents.mjs';
import { BatchPool, PooledRun } from './batch_pool.mjs';

const CHUNK_BYTES = 2 * 1024 * 1024;
const PAGE_SIZE = 200;
const KEEP_FIRST = 10_000;
const KEEP_PER_RULE = 100;
const FRESH_MAX = PAGE_SIZE; // findings sent with one progress message, at most
const PART_BYTES = 4 * 1024 * 1024; // text gathered before it becomes one Blob of the report
const ALL_FINDINGS = Number.MAX_SAFE_INTEGER; // maxFindings: the CLIs list 100,000 by default
// Input pushed per call: 2 KiB, so that what one call returns (its findings, or the report's
// text) stays small even for input as dense in findings as `{}` lines (8 in 3 bytes: about 5,500
// findings a call), and so does the module's heap, which never shrinks; the worker yields to
// progress and cancel every 16 calls.
const PIECE_BYTES = 2 * 1024;
const PROGRESS_EVERY_MS = 80;
const SEVERITIES = ['critical', 'error', 'warning', 'info'];
// Below this size one session is quicker: starting 2 sub-workers (each loads both of the package's
// modules) took 0.4-0.5 s on a 2-core machine (this worker now checks meanwhile), while one
// session here checks about 30 MB/s, and the pool cannot make that 2x: the framing, the merge and
// the stream checks, which stay here, cost about 0.7 of one session's CPU time in Node
// (`node bench/pool_node.mjs --corpus FILE --sides one,split`: 0.83 before the batches' texts
// crossed in one block and the batch code was built at -O3; the stream checks are a third of it).
const POOL_MIN_BYTES = 32 * 1024 * 1024;
// The pool's workers: one core less than the machine's, for this worker's own share (framing and
// merging), and at most POOL_MAX, beyond which this worker's share is the limit and each more
// sub-worker only holds a module and its heap. On 2 cores the pool was slower than one session
// (100 MB: 4.4-4.8 s against 2.8-3.1 s; after the changes above, one sub-worker with this worker
// checking too, 25 MB: 0.45-0.6x of a session, measured with `node bench/pool_browser.mjs` on a
// machine whose load was 8-9); since PooledRun reads the sub-workers' answers before it calls them
// busy, 0.77-0.96x of one call (`npm run bench`, 50 MB, the last two runs): no gain for its
// start-up, so it needs 3.
const POOL_MAX = 4;
const POOL_MIN_CORES = 3;
const POOL_FORCED_MAX = 16;
// Input pushed per call with a pool: push() then only frames (the checks run in the sub-workers),
// so a bigger piece costs nothing in findings and saves calls.
const POOL_PIECE_BYTES = 64 * 1024;

let validator = null;
const jobs = new Map(); // id -> Job (the current one and the last finished one)
let latest_id = null;

async function init() {
  try {
    validator = await createValidator();
    let rules = null;
    try {
      rules = typeof validator.rules === 'function' ? validator.rules() : validator.rules ?? null;
    } catch {
      rules = null;
    }
    self.postMessage({
      type: 'ready',
      catalog: validator.catalog,
      // Redaction, when the package (and the module it loaded) has it.
      can_redact: typeof validator.redact === 'function' && safe(() => typeof validator.redact('{}', { key: 'probe' }) === 'string', false),
      rules,
      version: safe(() => validator.version, ''),
    });
  } catch (error) {
    self.postMessage({ type: 'fatal', message: String(error && error.message ? error.message : error) });
  }
}

// Yields to the worker's event loop (a message round trip, not a clamped timer).
const yielder = new MessageChannel();
const waiting = [];
yielder.port1.onmessage = () => waiting.shift()?.();
function next_task() {
  return new Promise((resolve) => {
    waiting.push(resolve);
    yielder.port2.postMessage(0);
  });
}

function safe(fn, fallback) {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

// The findings of one run: the first KEEP_FIRST kept, and beyond them the first KEEP_PER_RULE of
// each rule, so a rare rule is still listed after a flood of another. Once a rule has its share,
// the session is told to mute it: its findings are then counted in the core (progress().rules)
// and never built in JS. Memory is bounded by those numbers, whatever the input.
class FindingStore {
  constructor(session) {
    this.session = session;
    this.kept = []; // in input order
    this.total = 0;
    this.by_code = new Map(); // code -> {severity -> count}: the core's count, set by count()
    this.kept_by_code = new Map(); // code -> number kept beyond the first KEEP_FIRST
    this.muted = new Set();
    this.fresh = []; // kept since the last progress message (at most FRESH_MAX)
  }

  add(finding) {
    if (this.kept.length >= KEEP_FIRST) {
      const n = this.kept_by_code.get(finding.code) || 0;
      if (n >= KEEP_PER_RULE) {
        if (this.session && !this.muted.has(finding.code)) {
          this.muted.add(finding.code);
          this.session.mute(finding.code);
        }
        return;
      }
      this.kept_by_code.set(finding.code, n + 1);
    }
    this.kept.push(finding);
    if (this.fresh.length < FRESH_MAX) this.fresh.push(finding);
  }

  // The counts of every finding, from the session's progress (and `rest`, the findings finish()
  // returned after it).
  count(progress, rest = []) {
    if (!progress) return;
    this.by_code = new Map(Object.entries(progress.rules || {}).map(([code, per]) => [code, { ...per }]));
    for (const f of rest) {
      let per = this.by_code.get(f.code);
      if (!per) this.by_code.set(f.code, (per = { critical: 0, error: 0, warning: 0, info: 0 }));
      per[f.severity]++;
    }
    this.total = 0;
    for (const per of this.by_code.values()) for (const sev of SEVERITIES) this.total += per[sev] || 0;
  }

  take_fresh() {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }

  // Page `index` of the kept findings whose severity is in `severities` (and whose code is
  // `code`, when given), and how many were found in all (kept or not). `order` 'severity' lists
  // the worst first (critical, error, warning, info), each severity in input order.
  page(index, severities, code, order) {
    const wanted = new Set(severities && severities.length ? severities : SEVERITIES);
    const matching = this.kept.filter((f) => wanted.has(f.severity) && (!code || f.code === code));
    if (order === 'severity') {
      const rank = (f) => SEVERITIES.indexOf(f.severity);
      // Array.prototype.sort is stable: input order is kept within a severity.
      matching.sort((a, b) => rank(a) - rank(b));
    }
    let found = 0;
    for (const [c, per] of this.by_code) {
      if (code && c !== code) continue;
      for (const sev of wanted) found += per[sev] || 0;
    }
    return { findings: matching.slice(index * PAGE_SIZE, (index + 1) * PAGE_SIZE), total: matching.length, total_found: found };
  }

  by_code_object() {
    return Object.fromEntries(this.by_code);
  }
}

// The number of checking sub-workers for `job`: 0 for one session here. Nested workers are in
// every current browser, but not in Safari before 15.5: there it is one session.
function pool_size(job) {
  if (typeof Worker !== 'function') return 0;
  const forced = job.workers;
  if (Number.isInteger(forced) && forced >= 1) return forced === 1 ? 0 : Math.min(forced, POOL_FORCED_MAX);
  const cores = navigator.hardwareConcurrency || 1;
  return job.blob.size > POOL_MIN_BYTES && cores >= POOL_MIN_CORES ? Math.min(POOL_MAX, cores - 1) : 0;
}

async function run(job) {
  const { blob, options } = job;
  const total = blob.size;
  job.started_at = Date.now();
  job.now = typeof options.now === 'number' ? options.now : job.started_at;
  // The sub-workers' checkers get exactly the session's options: the same findings, same clock.
  // Every finding comes back (no maxFindings limit): the page bounds what it holds itself, counting
  // each by rule and keeping the first ones, and its downloaded report has them all.
  const checking = { profile: options.profile, strict: Boolean(options.strict), now: job.now, maxFindings: ALL_FINDINGS };
  const workers = pool_size(job);
  let session = null;
  let pooled = null;
  let bytes = 0;
  let last_post = 0;
  const store = job.store;

  const post_progress = (force) => {
    const t = Date.now();
    if (!force && t - last_post < PROGRESS_EVERY_MS) return;
    last_post = t;
    const counts = safe(() => session.progress(), null);
    store.count(counts);
    self.postMessage({
      type: 'progress',
      id: job.id,
      bytes,
      total,
      events: counts ? counts.events : 0,
      counts: counts ? { critical: counts.critical, error: counts.error, warning: counts.warning, info: counts.info } : null,
      total_findings: store.total,
      fresh: store.take_fresh(),
    });
  };

  // Counts are those of what was checked (with a pool: merged) before the cancel.
  const end_cancelled = () => {
    const counts = safe(() => session.progress(), null);
    store.count(counts);
    safe(() => session.close());
    job.ended_at = Date.now();
    job.summary = counts
      ? { events: counts.events, critical: counts.critical, error: counts.error, warning: counts.warning, info: counts.info }
      : null;
    job.aggregates = [];
    self.postMessage({ type: 'done', id: job.id, cancelled: true, bytes, total, summary: job.summary, by_code: store.by_code_object(), total_findings: store.total, aggregates: [], workers });
  };

  try {
    // A batch session is in the package's tools module, which its first call loads.
    session = workers ? await validator.createBatchSession(checking) : validator.createSession(checking);
    store.session = session;
    if (workers) {
      job.pool = new BatchPool({ size: workers });
      // This worker checks a batch itself whenever the sub-workers have all they can hold.
      job.checker = await validator.createBatchChecker();
      pooled = new PooledRun(session, job.pool, job.checker);
    }
    post_progress(true);
    for (let offset = 0; offset < total; offset += CHUNK_BYTES) {
      // Awaiting the read lets a 'cancel' message in between chunks.
      const chunk = new Uint8Array(await blob.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
      if (job.cancelled) break;
      if (pooled) {
        // The awaits on the sub-workers' results let a 'cancel' in; a cancel stops the pool, and
        // the push waiting on it then throws.
        for (let at = 0; at < chunk.length; at += POOL_PIECE_BYTES) {
          for (const f of await pooled.push(chunk.subarray(at, at + POOL_PIECE_BYTES))) store.add(f);
          bytes = Math.min(total, offset + at + POOL_PIECE_BYTES);
          post_progress(false);
          if ((at / POOL_PIECE_BYTES) % 4 === 3) await next_task();
        }
      } else {
        // In pieces: each push returns its findings whole, and a piece keeps that a few MB.
        for (let at = 0; at < chunk.length; at += PIECE_BYTES) {
          for (const f of session.push(chunk.subarray(at, at + PIECE_BYTES))) store.add(f);
          post_progress(false);
          if ((at / PIECE_BYTES) % 16 === 15) await next_task();
        }
      }
      bytes = Math.min(total, offset + chunk.length);
      post_progress(false);
    }
    if (!job.cancelled && pooled) for (const f of await pooled.end()) store.add(f);
    if (job.cancelled) {
      end_cancelled();
      return;
    }
    const before_finish = session.progress();
    const report = session.finish();
    store.session = null; // finished: nothing to mute
    for (const f of report.findings || []) store.add(f);
    store.count(before_finish, report.findings || []);
    job.ended_at = Date.now();
    job.summary = report.summary;
    job.aggregates = report.aggregates || [];
    post_progress(true);
    self.postMessage({
      type: 'done',
      id: job.id,
      cancelled: false,
      bytes: total,
      total,
      summary: report.summary,
      by_code: store.by_code_object(),
      total_findings: store.total,
      kept: store.kept.length,
      // The per-aggregate summary can be as long as the input has aggregates: send the first ones.
      aggregates: job.aggregates.slice(0, 200),
      aggregates_total: job.aggregates.length,
      workers,
    });
  } catch (error) {
    // A cancel stops the sub-workers, and what waited on them throws: that is a cancelled run.
    if (job.cancelled) {
      end_cancelled();
      return;
    }
    safe(() => session.close());
    self.postMessage({ type: 'done', id: job.id, error: String(error && error.message ? error.message : error), summary: null, by_code: {}, total_findings: store.total, workers });
    // A trap leaves the module unusable (the package says so and forgets it): load a fresh one so
    // that the next run works.
    if (error && error.name === 'MsgeventsError' && /module failed/.test(error.message)) {
      validator = await createValidator().catch(() => validator);
    }
  } finally {
    job.pool?.terminate();
    job.pool = null;
    safe(() => job.checker?.close());
    job.checker = null;
    job.running = false;
  }
}

// The full report of a finished run in `format`, by a second pass over its input with the core's
// report writer: the bytes `msgevents validate --format FORMAT NAME` writes for the same options,
// clock reading and times. The text becomes Blobs of at most PART_BYTES as it comes; JUnit's part
// (whose counts go before it) is kept apart and put in place at the end.
async function report_blob(job, format) {
  const report = await validator.createReport({
    format,
    inputs: [job.name],
    profile: job.options.profile,
    strict: Boolean(job.options.strict),
    now: job.now,
    maxFindings: ALL_FINDINGS,
    clock: 'system',
    startedAt: job.started_at,
    siteUrl: new URL('./', self.location.href).href,
  });
  try {
    const sink = () => {
      const parts = [];
      let text = '';
      return {
        parts,
        add(more) {
          text += more;
          if (text.length >= PART_BYTES) this.flush();
        },
        flush() {
          if (text) parts.push(new Blob([text]));
          text = '';
        },
      };
    };
    const begin = report.begin();
    const part = sink();
    part.add(report.beginInput(job.name));
    const blob = job.blob;
    for (let offset = 0; offset < blob.size; offset += CHUNK_BYTES) {
      const chunk = new Uint8Array(await blob.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
      for (let at = 0; at < chunk.length; at += PIECE_BYTES) part.add(report.push(chunk.subarray(at, at + PIECE_BYTES)));
    }
    part.flush();
    const input = report.endInput();
    const end = report.finish(job.ended_at);
    return new Blob([end.head, begin, input.head, ...part.parts, input.tail, end.tail], { type: MIME[format] });
  } finally {
    report.close();
  }
}

const MIME = {
  text: 'text/plain',
  json: 'application/json',
  sarif: 'application/sarif+json',
  junit: 'application/xml',
  github: 'text/plain',
};

// Stops a run: its loop sees the flag at its next step; its sub-workers stop now.
function cancel(job) {
  job.cancelled = true;
  job.pool?.terminate();
}

self.onmessage = async (event) => {
  const msg = event.data || {};
  if (msg.type === 'validate') {
    if (!validator) return;
    // One run at a time: a new run cancels the one before it and drops older results.
    for (const [id, job] of jobs) {
      cancel(job);
      if (id !== latest_id) jobs.delete(id);
    }
    const workers = Number.isInteger(msg.workers) ? msg.workers : null;
    const job = { id: msg.id, blob: msg.blob, name: msg.name || 'input', options: msg.options || {}, workers, store: new FindingStore(), cancelled: false, running: true, pool: null };
    jobs.set(msg.id, job);
    latest_id = msg.id;
    await run(job);
    for (const id of jobs.keys()) if (id !== latest_id) jobs.delete(id);
  } else if (msg.type === 'cancel') {
    const job = jobs.get(msg.id);
    if (job) cancel(job);
  } else if (msg.type === 'page') {
    const job = jobs.get(msg.id);
    if (!job) return;
    const order = msg.order === 'severity' ? 'severity' : 'input';
    const { findings, total, total_found } = job.store.page(msg.index, msg.severities, msg.code || null, order);
    self.postMessage({ type: 'page', id: msg.id, index: msg.index, code: msg.code || null, order, findings, total, total_found, page_size: PAGE_SIZE });
  } else if (msg.type === 'redact') {
    try {
      const { text, findings } = validator.redact(msg.text, { key: msg.key || undefined, profile: msg.profile, withFindings: true });
      const withheld = { count: findings.length, first: findings.slice(0, 20).map(({ line, column, message }) => ({ line, column, message })) };
      self.postMessage({ type: 'redacted', id: msg.id, text, withheld });
    } catch (error) {
      self.postMessage({ type: 'redacted', id: msg.id, error: String(error && error.message ? error.message : error) });
    }
  } else if (msg.type === 'report') {
    const job = jobs.get(msg.id);
    if (!job || job.running || job.cancelled) return;
    const format = msg.format || 'json';
    try {
      self.postMessage({ type: 'report', id: msg.id, format, blob: await report_blob(job, format) });
    } catch (error) {
      self.postMessage({ type: 'report', id: msg.id, format, error: String(error && error.message ? error.message : error) });
    }
  }
};

init();
