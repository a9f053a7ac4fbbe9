// Parallel validation in the page, in headless Chromium: a stream of several MiB, checked by a pool
// of 2 checking workers (?workers=2), shows exactly what one session shows (?workers=1) and what
// the package validates in Node: the summary, the counts by severity and by rule, and every listed
// finding with its line, column, pointer and message, also past the findings the page keeps (when
// it mutes a rule mid-run). The stream has duplicates, id conflicts, version gaps and conflicts and
// lifecycle violations whose two events lie in different batches (a batch is at most 512 events),
// and per-event findings. A run with the pool can be cancelled (its checking workers stop) and the
// next one is right; a checking worker that fails ends the run with an error, never with missing
// findings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { open_site, new_page, wait_validated, counts, findings, screenshot, foreign, site_catalog, csp_violations, requests_beyond_code, SCREENSHOTS, SITE } from './site/harness.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { creating_examples, unique_copy, follow_up, write_large_ndjson } from './site/events.mjs';

// Far enough back that the two events of a stream finding are never in one batch.
const BACK = 600;
const CREATED = 14_000;

let site;
let catalog;
let validator;
let tmp;
let stream; // {file, bytes, lines}

before(async () => {
  ({ catalog, validator } = await site_catalog());
  site = await open_site();
  tmp = mkdtempSync(path.join(tmpdir(), 'msgevents-site-parallel-'));
  stream = write_stream(path.join(tmp, 'stream.ndjson'));
});

after(async () => {
  await site?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  console.log(`screenshots: ${SCREENSHOTS}`);
});

// For each aggregate type: an event allowed right after its creating event (an update), and one
// that is not (a lifecycle violation), from the catalog's transitions.
function next_events() {
  const out = new Map();
  for (const agg of catalog.aggregates) {
    const created = agg.transitions.find((t) => t.from === null);
    const names = catalog.events.filter((e) => e.aggregate === agg.name && !e.creates).map((e) => e.name);
    const allowed = (name) => agg.transitions.some((t) => t.from === created.to && t.event === name);
    out.set(agg.name, { update: names.find(allowed), illegal: names.find((n) => !allowed(n)) });
  }
  return out;
}

// CREATED creating events with fresh ids and, every few lines, an event that breaks a stream
// rule about one created BACK lines before, or an event with a malformed id.
function write_stream(file) {
  const bases = creating_examples(catalog);
  const next = next_events();
  const created = [];
  const lines = [];
  let fresh = 10_000_000; // event ids of the follow-up events
  const injected = { duplicate: 0, id_conflict: 0, version_gap: 0, version_conflict: 0, lifecycle: 0, bad_id: 0 };
  for (let i = 0; i < CREATED; i++) {
    const e = unique_copy(bases[i % bases.length], i);
    if (i % 89 === 10) {
      e.event_id = `not-a-uuid-${i}`;
      injected.bad_id++;
    }
    created.push(e);
    lines.push(JSON.stringify(e));
    if (i < BACK) continue;
    const old = created[i - BACK];
    if (old.event_id.startsWith('not-a-uuid')) continue;
    const kinds = next.get(old.aggregate_type);
    if (i % 97 === 50) {
      lines.push(JSON.stringify(old)); // redelivered as it was
      injected.duplicate++;
    } else if (i % 101 === 20) {
      lines.push(JSON.stringify({ ...old, occurred_at: '2025-12-24T10:00:00.000Z' })); // same id, other content
      injected.id_conflict++;
    } else if (i % 103 === 30 && kinds.update) {
      lines.push(JSON.stringify(follow_up(catalog, kinds.update, old, 3, fresh++))); // 1, then 3
      injected.version_gap++;
    } else if (i % 107 === 40 && kinds.update) {
      lines.push(JSON.stringify(follow_up(catalog, kinds.update, old, 1, fresh++))); // version 1 twice
      injected.version_conflict++;
    } else if (i % 109 === 60 && kinds.illegal) {
      lines.push(JSON.stringify(follow_up(catalog, kinds.illegal, old, 2, fresh++)));
      injected.lifecycle++;
    }
  }
  const text = `${lines.join('\n')}\n`;
  writeFileSync(file, text);
  for (const [kind, n] of Object.entries(injected)) assert.ok(n > 20, `only ${n} ${kind} events in the stream`);
  return { file, bytes: Buffer.byteLength(text), lines: lines.length, injected };
}

// Everything the page shows of a finished run: the summary, the counts by severity and by rule,
// the progress line, and every listed finding (all pages, in input order).
async function shown(page) {
  const out = {
    summary: await page.textContent('#summary-text'),
    counts: await counts(page),
    by_rule: await page.$$eval('#by-rule-body tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))),
    page_text: await page.textContent('#page-text'),
    findings: [],
  };
  for (let index = 0; ; index++) {
    await page.waitForFunction((i) => document.getElementById('findings').dataset.page === String(i), index);
    out.findings.push(...(await findings(page)));
    if (await page.isDisabled('#next-page')) break;
    await page.click('#next-page');
  }
  return out;
}

// The page's workers (its validator worker and any checking workers) once there are `n` of them:
// a terminated worker leaves the list soon after, not at once.
async function workers_once(page, n, timeout = 10_000) {
  const until = Date.now() + timeout;
  while (page.workers().length !== n && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  return page.workers().map((w) => new URL(w.url()).pathname);
}

async function validate_file(page, file, timeout = 120_000) {
  const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  await page.setInputFiles('#file-input', file);
  await wait_validated(page, before_run, timeout);
}

test('a 2-worker pool shows exactly the findings of one session, and of the package in Node', { timeout: 300_000 }, async () => {
  assert.ok(stream.bytes > 4 * 1024 * 1024, `the stream is only ${stream.bytes} bytes`);
  console.log(`stream: ${stream.lines} events, ${(stream.bytes / 1048576).toFixed(1)} MB, ${JSON.stringify(stream.injected)}`);
  const reference = validator.validate(readFileSync(stream.file), { now: Date.now() });

  const runs = {};
  for (const workers of [1, 2]) {
    const { page, requests, errors } = await new_page(site, { path: `?workers=${workers}` });
    const loaded = requests.length;
    const t0 = Date.now();
    await validate_file(page, stream.file);
    console.log(`?workers=${workers}: validated in ${Date.now() - t0} ms`);
    const progress = await page.textContent('#progress-text');
    if (workers === 1) assert.match(progress, /^Done: [\d.]+ MB in [\d.]+ s$/);
    else assert.match(progress, /^Done: [\d.]+ MB in [\d.]+ s on 2 checking workers$/);
    runs[workers] = await shown(page);
    if (workers === 2) await screenshot(page, 'validator-parallel-summary', { fullPage: true });
    // While validating, one session fetches nothing; the pool's workers fetch their own script and
    // load the package the page already loaded, from the site, and nothing else.
    const during = requests.slice(loaded).map((r) => new URL(r.url).pathname);
    if (workers === 1) assert.deepEqual(during, []);
    else assert.equal(during.filter((p) => p === '/batch_worker.mjs').length, 2, `requests: ${during}`);
    assert.deepEqual(requests_beyond_code(requests, loaded, site.url), []);
    assert.deepEqual(foreign(requests, site.url), []);
    assert.deepEqual(await csp_violations(page), []);
    assert.deepEqual(errors, []);
    await page.context().close();
  }

  // The stream findings are there, and each kind more than once, across batches.
  const found = new Map();
  for (const f of reference.findings) found.set(f.code, (found.get(f.code) || 0) + 1);
  for (const code of ['stream.duplicate', 'stream.id_conflict', 'stream.version_gap', 'stream.version_conflict', 'lifecycle.transition', 'envelope.event_id.format']) {
    assert.ok(found.get(code) >= 20, `${code}: ${found.get(code) || 0} findings`);
  }

  // One session and the pool: the same page, to the letter.
  assert.deepEqual(runs[2], runs[1]);
  // And what the package validates in Node.
  const s = reference.summary;
  assert.equal(s.events, stream.lines);
  assert.deepEqual(runs[2].counts, { critical: s.critical, error: s.error, warning: s.warning, info: s.info });
  assert.match(runs[2].summary, new RegExp(`^${s.events.toLocaleString('en-US')} events checked: ${reference.findings.length.toLocaleString('en-US')} findings \\(`));
  assert.ok(reference.findings.length > 200, 'the findings fill more than one page');
  assert.equal(runs[2].page_text, `Findings 1–200 of ${reference.findings.length.toLocaleString('en-US')}`);
  // (The page words a message's "event index N" as "event N+1": compared above, one run to the other.)
  assert.deepEqual(
    runs[2].findings.map((f) => [f.code, f.severity, f.loc, f.pointer]),
    reference.findings.map((f) => [f.code, f.severity, `${f.line}:${f.column}`, f.pointer === '' ? '""' : f.pointer]),
  );
});

test('more findings than the page keeps: the pool keeps and counts them as one session does', { timeout: 300_000 }, async () => {
  // A warning on every event (an unknown envelope field), and an error every 1,000th: the page
  // keeps the first 10,000 findings and then 100 of each rule, so it mutes the warning mid-run.
  const bases = creating_examples(catalog);
  const lines = [];
  for (let i = 0; i < 24_000; i++) {
    const e = unique_copy(bases[i % bases.length], i);
    e.note = `extra ${i}`;
    if (i % 1000 === 999) e.event_id = `not-a-uuid-${i}`;
    lines.push(JSON.stringify(e));
  }
  const file = path.join(tmp, 'dense.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const reference = validator.validate(readFileSync(file), { now: Date.now() });
  const runs = {};
  for (const workers of [1, 2]) {
    const { page, errors } = await new_page(site, { path: `?workers=${workers}` });
    await validate_file(page, file);
    const first = await findings(page);
    const pages = Number(await page.textContent('#page-count'));
    await page.fill('#page-number', String(pages));
    await page.keyboard.press('Enter');
    await page.waitForFunction((i) => document.getElementById('findings').dataset.page === String(i), pages - 1);
    runs[workers] = {
      summary: await page.textContent('#summary-text'),
      counts: await counts(page),
      by_rule: await page.$$eval('#by-rule-body tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))),
      page_text: await page.textContent('#page-text'),
      first,
      last: await findings(page),
    };
    assert.deepEqual(errors, []);
    await page.context().close();
  }
  assert.deepEqual(runs[2], runs[1]);
  const s = reference.summary;
  assert.deepEqual(runs[2].counts, { critical: s.critical, error: s.error, warning: s.warning, info: s.info });
  assert.equal(s.warning, 24_000);
  // Listed: the first 10,000, then the first 100 of each rule after them.
  const kept = reference.findings.slice(0, 10_000);
  const beyond = new Map();
  for (const f of reference.findings.slice(10_000)) {
    beyond.set(f.code, (beyond.get(f.code) || 0) + 1);
    if (beyond.get(f.code) <= 100) kept.push(f);
  }
  const n = (x) => x.toLocaleString('en-US');
  const from = Math.floor((kept.length - 1) / 200) * 200;
  assert.equal(runs[2].page_text, `Findings ${n(from + 1)}–${n(kept.length)} of ${n(kept.length)} listed (${n(reference.findings.length)} found: the downloaded report has them all)`);
  const at = (f) => [f.code, `${f.line}:${f.column}`];
  assert.deepEqual(runs[2].first.map((f) => [f.code, f.loc]), kept.slice(0, 200).map(at));
  assert.deepEqual(runs[2].last.map((f) => [f.code, f.loc]), kept.slice(from).map(at));
});

test('a run with the pool can be cancelled: its checking workers stop and the next run is right', { timeout: 300_000 }, async () => {
  const large = path.join(tmp, 'large.ndjson');
  const made = await write_large_ndjson(large, catalog, 64 * 1024 * 1024, 10_000);
  const { page, requests, errors } = await new_page(site, { path: '?workers=2' });
  const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  await page.setInputFiles('#file-input', large);
  // Early in the run (1% to 49%), so that it is still running on a fast machine.
  await page.waitForFunction(() => /\(([1-9]|[1-4]\d)%\)/.test(document.getElementById('progress-text').textContent), null, { timeout: 120_000 });
  // The page's worker and its two checking workers.
  assert.deepEqual((await workers_once(page, 3)).sort(), ['/batch_worker.mjs', '/batch_worker.mjs', '/worker.mjs']);
  await page.click('#cancel');
  await wait_validated(page, before_run, 60_000);
  assert.match(await page.textContent('#summary-text'), /^Cancelled: [\d,]+ events checked/);
  const m = /^Cancelled after ([\d.]+) MB of ([\d.]+) MB$/.exec(await page.textContent('#progress-text'));
  assert.ok(m && Number(m[1]) < Number(m[2]), `progress after cancel: ${await page.textContent('#progress-text')}`);
  const events = Number((await page.textContent('#summary-text')).match(/^Cancelled: ([\d,]+)/)[1].replace(/,/g, ''));
  assert.ok(events > 0 && events < made.events, `${events} of ${made.events} events checked before the cancel`);
  assert.deepEqual(await workers_once(page, 1), ['/worker.mjs'], 'the checking workers stopped');
  await screenshot(page, 'validator-parallel-cancelled');

  // The next run (a new pool) shows the whole stream's findings.
  await validate_file(page, stream.file);
  const again = await shown(page);
  const reference = validator.validate(readFileSync(stream.file), { now: Date.now() });
  assert.deepEqual(again.findings.map((f) => [f.code, f.loc]), reference.findings.map((f) => [f.code, `${f.line}:${f.column}`]));
  assert.deepEqual(await workers_once(page, 1), ['/worker.mjs'], 'the pool is gone once the run has ended');
  assert.deepEqual(foreign(requests, site.url), []);
  assert.deepEqual(errors, []);
  await page.context().close();
  rmSync(large);
});

test('a checking worker that fails ends the run with an error, never with findings missing', { timeout: 120_000 }, async () => {
  // The site, with checking workers that say they are ready (until then the page's worker checks
  // the batches itself) and throw on their first batch.
  const broken = path.join(tmp, 'broken-site');
  cpSync(SITE, broken, { recursive: true });
  writeFileSync(path.join(broken, 'batch_worker.mjs'),
    "self.onmessage = (e) => { if (e.data.type === 'init') self.postMessage({ type: 'ready' }); if (e.data.type === 'batch') throw new Error('the checker broke'); };\n");
  const { server, url } = await startServer({ root: broken, port: 0, host: '127.0.0.1' });
  try {
    const { page, context, errors } = await new_page({ browser: site.browser, url }, { path: '?workers=2' });
    const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
    await page.setInputFiles('#file-input', stream.file);
    await page.waitForFunction((b) => Number(document.body.dataset.validated || 0) > b && !document.body.dataset.validating, before_run, { timeout: 60_000 });
    assert.match(await page.textContent('#summary-text'), /^Validation failed: a checking worker failed: .*the checker broke/);
    assert.equal(await page.$$eval('#findings .finding', (els) => els.length), 0);
    assert.deepEqual(await workers_once(page, 1), ['/worker.mjs'], 'the checking workers were stopped');
    await screenshot(page, 'validator-parallel-failed');
    // Not stuck: the next run starts a new pool, and ends the same way.
    const before_again = await page.evaluate(() => Number(document.body.dataset.validated || 0));
    await page.click('#validate');
    await page.waitForFunction((b) => Number(document.body.dataset.validated || 0) > b && !document.body.dataset.validating, before_again, { timeout: 60_000 });
    assert.match(await page.textContent('#summary-text'), /^Validation failed: a checking worker failed: .*the checker broke/);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
