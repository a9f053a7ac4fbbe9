// The page stays bounded on huge runs, and its downloads are the CLI's bytes.
//
// A run with millions of findings: the page's process (page and worker) stays under 300 MB and the
// whole browser (every Chromium process of this test, by proportional set size, so shared pages
// count once) grows by less than that; the findings list fills
// while the run goes; every finding is counted by rule and severity while only the first ones are
// kept to list; a rule that comes after the flood is still listed. Then, for a small input, every
// format the page downloads is what `msgevents validate --format F` writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, open_site, new_page, wait_validated, counts, findings, screenshot, foreign, site_catalog, SCREENSHOTS } from './site/harness.mjs';
import { creating_examples, unique_copy } from './site/events.mjs';

const BOUND_BYTES = 300 * 1024 * 1024;
const NATIVE_CLI = path.join(ROOT, 'build/native/msgevents');

let site;
let catalog;
let tmp;

before(async () => {
  ({ catalog } = await site_catalog());
  site = await open_site();
  tmp = mkdtempSync(path.join(tmpdir(), 'msgevents-site-bounded-'));
});

after(async () => {
  await site?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  console.log(`screenshots: ${SCREENSHOTS}`);
});

// Every process below this one (the browser and its renderers, GPU and utility processes): the
// sum of their proportional set sizes, and the largest one's (the page's renderer, which runs the
// page and its worker), in bytes.
function browser_memory() {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch { /* gone */ }
  }
  let total = 0;
  let largest = 0;
  const stack = [...(children.get(process.pid) || [])];
  while (stack.length) {
    const pid = stack.pop();
    stack.push(...(children.get(pid) || []));
    try {
      const m = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) {
        total += Number(m[1]) * 1024;
        largest = Math.max(largest, Number(m[1]) * 1024);
      }
    } catch { /* gone, or not ours to read */ }
  }
  return { total, largest };
}
const mb = (bytes) => `${(bytes / 1048576).toFixed(0)} MB`;

test('millions of findings: the page stays under 300 MB, the list fills during the run, every finding is counted', { timeout: 600_000 }, async () => {
  // `{}` lines: 8 critical findings each. 700,000 of them, then one line of another rule.
  const lines = 700_000;
  const file = path.join(tmp, 'dense.ndjson');
  writeFileSync(file, `${'{}\n'.repeat(lines)}42\n`);
  const findings_total = lines * 8 + 1;

  const { page, requests, errors } = await new_page(site);
  const base = browser_memory();
  console.log(`browser memory before the run: ${mb(base.total)}, the largest process ${mb(base.largest)}`);
  // What the list held while the run went on.
  await page.evaluate(() => {
    window.__fill = [];
    const list = document.getElementById('findings');
    new MutationObserver(() => {
      window.__fill.push({ n: list.childElementCount, validating: Boolean(document.body.dataset.validating), progress: document.getElementById('progress-bar').value });
    }).observe(list, { childList: true });
  });
  const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  const peak = { ...base };
  const sample = () => {
    const now = browser_memory();
    peak.total = Math.max(peak.total, now.total);
    peak.largest = Math.max(peak.largest, now.largest);
  };
  const sampler = setInterval(sample, 150);
  const t0 = Date.now();
  try {
    await page.setInputFiles('#file-input', file);
    await wait_validated(page, before_run, 540_000);
  } finally {
    clearInterval(sampler);
  }
  sample();
  console.log(`${findings_total} findings in ${Date.now() - t0} ms; peaks: the page's process ${mb(peak.largest)}, the browser ${mb(peak.total)} (+${mb(peak.total - base.total)})`);
  assert.ok(peak.largest < BOUND_BYTES, `the page's process grew to ${mb(peak.largest)}`);
  assert.ok(peak.total - base.total < BOUND_BYTES, `the browser grew by ${mb(peak.total - base.total)}`);

  const fill = await page.evaluate(() => window.__fill);
  assert.ok(fill.some((f) => f.validating && f.n > 0 && f.progress < 1), `the list stayed empty during the run: ${JSON.stringify(fill.slice(0, 3))}`);

  assert.deepEqual(await counts(page), { critical: findings_total, error: 0, warning: 0, info: 0 });
  assert.equal(await page.textContent('#summary-text'), `${(lines + 1).toLocaleString('en-US')} events checked: ${findings_total.toLocaleString('en-US')} findings (${findings_total.toLocaleString('en-US')} critical).`);
  // The first 10,000, then the first 100 of each of the 8 rules, and the one event.not_object.
  const kept = 10_000 + 8 * 100 + 1;
  assert.equal(await page.textContent('#page-text'), `Findings 1–200 of ${kept.toLocaleString('en-US')} listed (${findings_total.toLocaleString('en-US')} found: the downloaded report has them all)`);
  // Counted by rule: each envelope rule once an event, and the late rule too.
  const rows = await page.$$eval('#by-rule-body tr', (trs) => trs.map((tr) => [tr.dataset.code, tr.querySelector('.num').textContent]));
  assert.equal(rows.length, 9);
  assert.deepEqual(rows.find(([code]) => code === 'event.not_object'), ['event.not_object', '1']);
  assert.ok(rows.filter(([code]) => code !== 'event.not_object').every(([, n]) => n === lines.toLocaleString('en-US')));
  // The late rule is listed: the first findings of each rule are kept beyond the first 10,000.
  await page.click('#by-rule summary');
  await page.click('#by-rule-body tr[data-code="event.not_object"] .only-rule');
  await page.waitForFunction(() => document.querySelectorAll('#findings .finding').length === 1);
  assert.deepEqual((await findings(page)).map((f) => [f.code, f.line]), [['event.not_object', lines + 1]]);
  await screenshot(page, 'validator-bounded');
  assert.deepEqual(foreign(requests, site.url), []);
  assert.deepEqual(errors, []);
  await page.context().close();
  rmSync(file);
});

// The same bytes as the CLI, but for the run's own times and clock reading.
const untimed = (text) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIME').replace(/ time="\d+\.\d{3}"/g, ' time="T"');

test('every format the page downloads is what the native CLI writes', { skip: !existsSync(NATIVE_CLI) && 'build/native/msgevents not built', timeout: 120_000 }, async () => {
  const bases = creating_examples(catalog);
  const events = bases.slice(0, 4).map((b, i) => unique_copy(b, 300 + i));
  events[1].event_id = 'not-a-uuid';
  events[2].note = 'an unknown field';
  const name = 'with space "q".ndjson';
  const file = path.join(tmp, name);
  writeFileSync(file, `${events.map((e) => JSON.stringify(e)).join('\n')}\n{"x":1\n`);

  const { page, requests } = await new_page(site);
  const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  await page.setInputFiles('#file-input', file);
  await wait_validated(page, before_run);
  for (const format of ['json', 'sarif', 'junit', 'github', 'text']) {
    await page.selectOption('#download-format', format);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const saved = path.join(tmp, `report-${format}`);
    await download.saveAs(saved);
    const ours = readFileSync(saved, 'utf8');
    const cli = spawnSync(NATIVE_CLI, ['validate', '--format', format, '--site-url', new URL('./', site.url).href, name], { cwd: tmp, encoding: 'utf8' });
    assert.equal(cli.status, 1, cli.stderr);
    assert.equal(untimed(ours), untimed(cli.stdout), format);
    assert.match(ours, /2\d{3}-\d\d-\d\dT/, `${format} carries the run's times`);
    await page.waitForFunction(() => !document.getElementById('download').disabled);
  }
  assert.deepEqual(foreign(requests, site.url), []);
  await page.context().close();
});
