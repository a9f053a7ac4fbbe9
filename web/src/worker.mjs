// The validator's module Web Worker: runs the msgevents npm package (the same build npm users get)
// off the page's main thread, so the page never freezes, whatever the size of the input.
//
// Input of any size goes the same way: a Blob (a File, or the editor's text) read in chunks with
// Blob.slice() and pushed through one streaming session of the package. Memory stays bounded:
// only one chunk is in memory at a time, and the findings are kept as pages of JSON text in Blobs
// (which the browser may keep on disk), with per-page severity counts so that a filtered page can
// be found without reading every page.
//
// Messages in:  {type:'validate', id, blob, options:{profile, strict, now}}
//               {type:'cancel', id} | {type:'page', id, index, severities, code} | {type:'report', id}
//               {type:'redact', id, text, key, profile}
// Messages out: {type:'ready', catalog, rules, checklist, version} | {type:'fatal', message}
//               {type:'progress', id, bytes, total, events, counts, first}
//               {type:'done', id, summary, by_code, total_findings, cancelled, aggregates, error}
//               {type:'page', id, index, findings, total} | {type:'report', id, blob}
//               {type:'redacted', id, text, withheld, error}: withheld = the redact.withheld
//               findings (the first 20) and their number, the events redaction could not read
import { createValidator } from './msgevents.mjs';

const CHUNK_BYTES = 2 * 1024 * 1024;
const PAGE_SIZE = 200;
const PROGRESS_EVERY_MS = 80;
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

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
    let checklist = '';
    try {
      checklist = validator.checklist();
    } catch {
      checklist = '';
    }
    // JSON Schemas for the docs' download links, when the package has them.
    let schemas = null;
    if (typeof validator.jsonSchema === 'function') {
      schemas = {};
      for (const e of validator.catalog.events) schemas[e.name] = safe(() => validator.jsonSchema(e.name), null);
    }
    // The same examples as CloudEvents 1.0, when the package maps them.
    let cloudevents = null;
    if (typeof validator.toCloudEvent === 'function') {
      cloudevents = {};
      for (const e of validator.catalog.events) cloudevents[e.name] = e.examples.map((x) => safe(() => validator.toCloudEvent(x), null));
    }
    self.postMessage({
      type: 'ready',
      catalog: validator.catalog,
      schemas,
      schema_bundle: typeof validator.jsonSchema === 'function' ? safe(() => validator.jsonSchema(), null) : null,
      asyncapi: typeof validator.asyncapi === 'function' ? safe(() => validator.asyncapi(), null) : null,
      cloudevents,
      // Redaction, when the package (and the module it loaded) has it.
      can_redact: typeof validator.redact === 'function' && safe(() => typeof validator.redact('{}', { key: 'probe' }) === 'string', false),
      rules,
      checklist,
      version: safe(() => validator.version, ''),
    });
  } catch (error) {
    self.postMessage({ type: 'fatal', message: String(error && error.message ? error.message : error) });
  }
}

function safe(fn, fallback) {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

// The findings of one run, paged into Blobs.
class FindingStore {
  constructor() {
    this.pages = []; // {blob, count, tally: Map "code\0severity" -> count}
    this.current = [];
    this.total = 0;
    this.by_code = new Map(); // code -> {severity -> count}
  }

  add(finding) {
    this.current.push(finding);
    this.total++;
    let per = this.by_code.get(finding.code);
    if (!per) this.by_code.set(finding.code, (per = { critical: 0, error: 0, warning: 0, info: 0 }));
    per[finding.severity] = (per[finding.severity] || 0) + 1;
    if (this.current.length >= PAGE_SIZE) this.seal();
  }

  seal() {
    if (!this.current.length) return;
    const text = this.current.map((f) => JSON.stringify(f)).join(',');
    this.pages.push({ blob: new Blob([text], { type: 'application/json' }), count: this.current.length, tally: tally(this.current) });
    this.current = [];
  }

  async all_pages() {
    const out = [];
    for (const p of this.pages) out.push({ tally: p.tally, read: async () => JSON.parse(`[${await p.blob.text()}]`) });
    if (this.current.length) {
      const items = this.current.slice();
      out.push({ tally: tally(items), read: async () => items });
    }
    return out;
  }

  // Page `index` of the findings whose severity is in `severities` (and whose code is `code`, when
  // given), PAGE_SIZE a page. Each sealed page keeps a tally by code and severity, so pages with
  // nothing wanted are skipped without being read.
  async page(index, severities, code) {
    const wanted = new Set(severities && severities.length ? severities : SEVERITIES);
    const keep = (f) => wanted.has(f.severity) && (!code || f.code === code);
    const matches = (p) => {
      let n = 0;
      for (const [key, count] of p.tally) {
        const [c, sev] = key.split('\u0000');
        if (wanted.has(sev) && (!code || c === code)) n += count;
      }
      return n;
    };
    const pages = await this.all_pages();
    const total = pages.reduce((n, p) => n + matches(p), 0);
    let skip = index * PAGE_SIZE;
    const out = [];
    for (const p of pages) {
      const m = matches(p);
      if (m === 0) continue;
      if (skip >= m) {
        skip -= m;
        continue;
      }
      for (const f of await p.read()) {
        if (!keep(f)) continue;
        if (skip > 0) {
          skip--;
          continue;
        }
        out.push(f);
        if (out.length >= PAGE_SIZE) return { findings: out, total };
      }
    }
    return { findings: out, total };
  }

  by_code_object() {
    return Object.fromEntries(this.by_code);
  }
}

async function run(job) {
  const { blob, options } = job;
  const total = blob.size;
  const session = validator.createSession({
    profile: options.profile,
    strict: Boolean(options.strict),
    now: typeof options.now === 'number' ? options.now : Date.now(),
  });
  let bytes = 0;
  let last_post = 0;
  let first_sent = 0; // findings of the first page already posted
  const store = job.store;

  const post_progress = (force) => {
    const t = Date.now();
    if (!force && t - last_post < PROGRESS_EVERY_MS) return;
    last_post = t;
    const counts = safe(() => session.progress(), null);
    const first = store.total > first_sent && first_sent < PAGE_SIZE ? first_page_slice(store, first_sent) : [];
    first_sent += first.length;
    self.postMessage({
      type: 'progress',
      id: job.id,
      bytes,
      total,
      events: counts ? counts.events : 0,
      counts: counts ? { critical: counts.critical, error: counts.error, warning: counts.warning, info: counts.info } : null,
      total_findings: store.total,
      first,
    });
  };

  try {
    post_progress(true);
    for (let offset = 0; offset < total; offset += CHUNK_BYTES) {
      // Awaiting the read lets a 'cancel' message in between chunks.
      const chunk = new Uint8Array(await blob.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
      if (job.cancelled) break;
      for (const f of session.push(chunk)) store.add(f);
      bytes = Math.min(total, offset + chunk.length);
      post_progress(false);
    }
    if (job.cancelled) {
      const counts = safe(() => session.progress(), null);
      session.close();
      store.seal();
      job.summary = counts
        ? { events: counts.events, critical: counts.critical, error: counts.error, warning: counts.warning, info: counts.info }
        : null;
      job.aggregates = [];
      post_progress(true);
      self.postMessage({ type: 'done', id: job.id, cancelled: true, bytes, total, summary: job.summary, by_code: store.by_code_object(), total_findings: store.total, aggregates: [] });
      return;
    }
    const report = session.finish();
    for (const f of report.findings || []) store.add(f);
    store.seal();
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
      // The per-aggregate summary can be as long as the input has aggregates: send the first ones.
      aggregates: job.aggregates.slice(0, 200),
      aggregates_total: job.aggregates.length,
    });
  } catch (error) {
    safe(() => session.close());
    self.postMessage({ type: 'done', id: job.id, error: String(error && error.message ? error.message : error), summary: null, by_code: {}, total_findings: store.total });
    // A trap leaves the module unusable (the package says so and forgets it): load a fresh one so
    // that the next run works.
    if (error && error.name === 'MsgeventsError' && /module failed/.test(error.message)) {
      validator = await createValidator().catch(() => validator);
    }
  } finally {
    job.running = false;
  }
}

// Findings counted by code and severity: Map of "code\0severity" -> count.
function tally(findings) {
  const t = new Map();
  for (const f of findings) {
    const key = `${f.code}\u0000${f.severity}`;
    t.set(key, (t.get(key) || 0) + 1);
  }
  return t;
}

// The first page's findings from `from` on, wherever they are now (sealed or current).
function first_page_slice(store, from) {
  const upto = Math.min(PAGE_SIZE, store.total);
  if (store.pages.length === 0) return store.current.slice(from, upto);
  // The first page is sealed already: the unsent rest of it is in its Blob, sent with 'done'.
  return [];
}

async function report_blob(job) {
  const parts = ['{"summary":', JSON.stringify(job.summary), ',"findings":['];
  let first = true;
  for (const p of job.store.pages) {
    if (!first) parts.push(',');
    parts.push(p.blob);
    first = false;
  }
  if (job.store.current.length) {
    if (!first) parts.push(',');
    parts.push(job.store.current.map((f) => JSON.stringify(f)).join(','));
  }
  parts.push('],"aggregates":', JSON.stringify(job.aggregates || []), '}\n');
  return new Blob(parts, { type: 'application/json' });
}

self.onmessage = async (event) => {
  const msg = event.data || {};
  if (msg.type === 'validate') {
    if (!validator) return;
    // One run at a time: a new run cancels the one before it and drops older results.
    for (const [id, job] of jobs) {
      job.cancelled = true;
      if (id !== latest_id) jobs.delete(id);
    }
    const job = { id: msg.id, blob: msg.blob, options: msg.options || {}, store: new FindingStore(), cancelled: false, running: true };
    jobs.set(msg.id, job);
    latest_id = msg.id;
    await run(job);
    for (const id of jobs.keys()) if (id !== latest_id) jobs.delete(id);
  } else if (msg.type === 'cancel') {
    const job = jobs.get(msg.id);
    if (job) job.cancelled = true;
  } else if (msg.type === 'page') {
    const job = jobs.get(msg.id);
    if (!job) return;
    const { findings, total } = await job.store.page(msg.index, msg.severities, msg.code || null);
    self.postMessage({ type: 'page', id: msg.id, index: msg.index, code: msg.code || null, findings, total, page_size: PAGE_SIZE });
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
    if (!job || job.running) return;
    self.postMessage({ type: 'report', id: msg.id, blob: await report_blob(job) });
  }
};

init();
