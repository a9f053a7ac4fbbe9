// Large inputs in headless Chromium: a file of more than 100 MB of NDJSON is read in chunks by the
// worker with a progress bar (events and bytes), can be cancelled, ends in a summary, and makes no
// request; a run with many findings pages through them and downloads them all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { open_site, new_page, wait_validated, counts, findings, screenshot, foreign, requests_beyond_code, site_catalog, SCREENSHOTS } from './site/harness.mjs';
import { write_large_ndjson, creating_examples, unique_copy } from './site/events.mjs';

const LARGE_BYTES = 100 * 1024 * 1024 + 1;
const BROKEN_EVERY = 50_000;

let site;
let catalog;
let tmp;

before(async () => {
  ({ catalog } = await site_catalog());
  site = await open_site();
  tmp = mkdtempSync(path.join(tmpdir(), 'msgevents-site-large-'));
});

after(async () => {
  await site?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  console.log(`screenshots: ${SCREENSHOTS}`);
});

// Records every text the progress line shows, from before the run starts.
async function watch_progress(page) {
  await page.evaluate(() => {
    // The main thread's heartbeat: the longest gap between two 50 ms timer ticks.
    window.__longest_gap = 0;
    let last = performance.now();
    setInterval(() => {
      const t = performance.now();
      window.__longest_gap = Math.max(window.__longest_gap, t - last);
      last = t;
    }, 50);
    window.__progress = [];
    const el = document.getElementById('progress-text');
    new MutationObserver(() => {
      window.__progress.push({ text: el.textContent, value: document.getElementById('progress-bar').value, visible: !document.getElementById('progress').hidden });
    }).observe(el, { childList: true, characterData: true, subtree: true });
  });
}

test('a 100 MB NDJSON file: progress with events and bytes, then a summary; no request; cancel works', { timeout: 240_000 }, async () => {
  const file = path.join(tmp, 'large.ndjson');
  const t0 = Date.now();
  const made = await write_large_ndjson(file, catalog, LARGE_BYTES, BROKEN_EVERY);
  console.log(`generated ${made.events} events, ${(made.bytes / 1048576).toFixed(1)} MB in ${Date.now() - t0} ms`);
  assert.ok(made.bytes > 100 * 1024 * 1024);

  const { page, requests, errors } = await new_page(site);
  await watch_progress(page);
  const loaded = requests.length;
  const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  const t1 = Date.now();
  await page.setInputFiles('#file-input', file);
  await page.waitForSelector('#progress:not([hidden])');
  // Part-way (or, on a very fast machine, already done: the observer's log is what is checked).
  await page.waitForFunction(
    (b) => /\(([1-9]\d?)%\)/.test(document.getElementById('progress-text').textContent) || Number(document.body.dataset.validated || 0) > b,
    before_run,
    { timeout: 120_000 },
  );
  await screenshot(page, 'validator-large-progress');
  await wait_validated(page, before_run, 180_000);
  console.log(`validated in the page in ${Date.now() - t1} ms`);

  // Progress was shown part-way: events and bytes, neither 0% nor 100%.
  const log = await page.evaluate(() => window.__progress);
  const midway = log.filter((p) => p.visible && p.value > 0 && p.value < 1 && /^[\d,]+ events · [\d.]+ MB of [\d.]+ MB \(\d+%\)/.test(p.text));
  assert.ok(midway.length >= 2, `no intermediate progress: ${JSON.stringify(log.slice(0, 5))}`);
  const events_seen = midway.map((p) => Number(p.text.split(' ')[0].replace(/,/g, '')));
  assert.ok(events_seen.some((n) => n > 0 && n < made.events), 'the event count grew during the run');

  // The page never froze: the work ran in the worker.
  const gap = await page.evaluate(() => window.__longest_gap);
  assert.ok(gap < 1000, `the main thread was blocked for ${Math.round(gap)} ms`);
  console.log(`longest main-thread gap during validation: ${Math.round(gap)} ms`);

  // The summary: every event counted, exactly the broken ones reported, on their lines.
  const summary = await page.textContent('#summary-text');
  assert.equal(summary, `${made.events.toLocaleString('en-US')} events checked: ${made.broken} findings (${made.broken} errors).`);
  assert.deepEqual(await counts(page), { critical: 0, error: made.broken, warning: 0, info: 0 });
  const list = await findings(page);
  assert.deepEqual(list.map((f) => [f.code, f.line]), Array.from({ length: made.broken }, (_, i) => ['envelope.event_id.format', (i + 1) * BROKEN_EVERY]));
  assert.match(await page.textContent('#source-note'), /validated from disk in chunks/);
  assert.equal(await page.evaluate(() => document.getElementById('editor').readOnly), true);
  await screenshot(page, 'validator-large-summary', { fullPage: true });

  // Nothing went over the network while validating (but the checking workers loading the page's
  // own code), and the page itself never held the file.
  assert.deepEqual(requests_beyond_code(requests, loaded, site.url), [], 'requests during validation');
  const heap = await page.evaluate(() => performance.memory && performance.memory.usedJSHeapSize);
  if (heap) assert.ok(heap < 64 * 1024 * 1024, `the page's heap grew to ${heap} bytes`);

  // Run it again and cancel part-way.
  const before_cancel = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => /\(([1-9]\d?)%\)/.test(document.getElementById('progress-text').textContent), null, { timeout: 120_000 });
  await page.click('#cancel');
  await wait_validated(page, before_cancel, 60_000);
  assert.match(await page.textContent('#summary-text'), /^Cancelled: [\d,]+ events checked/);
  const text = await page.textContent('#progress-text');
  const m = /^Cancelled after ([\d.]+) MB of ([\d.]+) MB$/.exec(text);
  assert.ok(m, `progress after cancel: ${text}`);
  assert.ok(Number(m[1]) < Number(m[2]));
  await screenshot(page, 'validator-large-cancelled');
  assert.deepEqual(foreign(requests, site.url), []);
  assert.deepEqual(requests_beyond_code(requests, loaded, site.url), []);
  assert.deepEqual(errors, []);
  await page.context().close();
  rmSync(file);
});

test('many findings: the list pages through them and the download has them all', { timeout: 120_000 }, async () => {
  const bases = creating_examples(catalog);
  const n = 1000;
  const lines = [];
  for (let i = 0; i < n; i++) {
    const e = unique_copy(bases[i % bases.length], i);
    e.note = `extra ${i}`; // an unknown envelope field: one warning an event
    lines.push(JSON.stringify(e));
  }
  const file = path.join(tmp, 'many.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);

  const { page, requests } = await new_page(site);
  const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  await page.setInputFiles('#file-input', file);
  await wait_validated(page, before_run);
  assert.deepEqual(await counts(page), { critical: 0, error: 0, warning: n, info: 0 });
  let list = await findings(page);
  assert.equal(list.length, 200);
  assert.deepEqual([list[0].line, list[199].line], [1, 200]);
  assert.equal(await page.textContent('#page-text'), 'Findings 1–200 of 1,000');
  assert.equal(await page.isDisabled('#prev-page'), true);

  await page.click('#next-page');
  await page.waitForFunction(() => document.getElementById('findings').dataset.page === '1');
  list = await findings(page);
  assert.deepEqual([list.length, list[0].line, list[199].line], [200, 201, 400]);
  assert.equal(await page.textContent('#page-text'), 'Findings 201–400 of 1,000');
  for (let p = 2; p < 5; p++) {
    await page.click('#next-page');
    await page.waitForFunction((i) => document.getElementById('findings').dataset.page === String(i), p);
  }
  list = await findings(page);
  assert.equal(list.at(-1).line, 1000);
  assert.equal(await page.isDisabled('#next-page'), true);
  await screenshot(page, 'validator-paged', { fullPage: false });

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const saved = path.join(tmp, 'many-report.json');
  await download.saveAs(saved);
  const report = JSON.parse(readFileSync(saved, 'utf8'));
  assert.equal(report.summary.events, n);
  assert.equal(report.findings.length, n);
  assert.deepEqual(report.findings.map((f) => f.line), Array.from({ length: n }, (_, i) => i + 1));
  assert.ok(report.findings.every((f) => f.code === 'envelope.unknown_field' && f.pointer === '/note'));
  assert.deepEqual(foreign(requests, site.url), []);
  await page.context().close();
});
