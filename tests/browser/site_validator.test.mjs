// The validator page in headless Chromium, driven as a person would: paste a broken event and read
// the finding, click it and see its line highlighted, open an NDJSON file and read the counts,
// filter, follow a rule code to the checklist, and make sure event text never runs as HTML and
// nothing leaves 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  open_site, new_page, paste_and_validate, wait_validated, counts, findings, screenshot, foreign,
  site_catalog, example_of, line_of, csp_violations, SCREENSHOTS, ROOT,
} from './site/harness.mjs';
import { creating_examples, unique_copy } from './site/events.mjs';

let site;
let catalog;
let rules;
let tmp;

before(async () => {
  ({ catalog, rules } = await site_catalog());
  site = await open_site();
  tmp = mkdtempSync(path.join(tmpdir(), 'msgevents-site-'));
});

after(async () => {
  await site?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  console.log(`screenshots: ${SCREENSHOTS}`);
});

test('a pasted broken event shows its finding with the right code and line; clicking it highlights the line', async () => {
  const { page, requests, errors } = await new_page(site);
  await screenshot(page, 'validator-empty');
  const event = example_of(catalog, 'CustomerCreated');
  event.event_id = 'not-a-uuid';
  const text = JSON.stringify(event, null, 2);
  const id_line = line_of(text, '"event_id"');
  assert.ok(id_line > 1);

  const loaded = requests.length;
  await paste_and_validate(page, text);
  // Validating made no request at all: everything ran in the page's worker.
  assert.deepEqual(requests.slice(loaded), [], 'validation made network requests');

  const list = await findings(page);
  const f = list.find((x) => x.code === 'envelope.event_id.format');
  assert.ok(f, `no envelope.event_id.format finding; got ${JSON.stringify(list)}`);
  assert.equal(f.severity, 'error');
  assert.equal(f.line, id_line);
  assert.equal(f.pointer, '/event_id');
  assert.match(f.loc, new RegExp(`^${id_line}:\\d+$`));
  assert.equal((await counts(page)).error, list.filter((x) => x.severity === 'error').length);
  assert.match(await page.textContent('#summary-text'), /1 event checked/);

  // The highlight band is hidden until a finding is clicked.
  assert.equal(await page.isVisible('#editor-highlight'), false);
  await page.click('#findings .finding[data-code="envelope.event_id.format"] .msg');
  await page.waitForSelector('#editor-highlight:not([hidden])');
  assert.equal(await page.getAttribute('#editor-highlight', 'data-line'), String(id_line));
  // The band sits over that line of the editor, and the caret is on it.
  const geometry = await page.evaluate(() => {
    const ed = document.getElementById('editor');
    const band = document.getElementById('editor-highlight');
    const caret_line = ed.value.slice(0, ed.selectionStart).split('\n').length;
    return { caret_line, band_top: band.offsetTop, scroll: ed.scrollTop, visible: band.offsetTop >= 0 && band.offsetTop < ed.clientHeight };
  });
  assert.equal(geometry.caret_line, id_line);
  assert.equal(geometry.band_top, 8 + (id_line - 1) * 20 - geometry.scroll);
  assert.ok(geometry.visible, 'the highlighted line is scrolled into view');
  await screenshot(page, 'validator-finding-highlighted');
  assert.deepEqual(errors, []);
  // The page, its worker and the WebAssembly module ran under the site's CSP without a violation.
  assert.deepEqual(await csp_violations(page), []);
  const csp = (await page.context().request.get(site.url)).headers()['content-security-policy'];
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  await page.context().close();
});

test('keyboard: a finding can be reached and opened without a mouse', async () => {
  const { page } = await new_page(site);
  const event = example_of(catalog, 'ContactCreated');
  event.version = '1';
  const text = JSON.stringify(event, null, 2);
  await paste_and_validate(page, text);
  const loc = page.locator('#findings .finding[data-code="envelope.version.type"] button.loc');
  await loc.focus();
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('loc')), true);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#editor-highlight:not([hidden])');
  assert.equal(await page.getAttribute('#editor-highlight', 'data-line'), String(line_of(text, '"version"')));
  // Focus styles are visible on buttons (outline from :focus-visible).
  await page.focus('#validate');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, 'solid');
  await page.context().close();
});

test('a multi-event NDJSON file opened through the file input shows its counts, per rule, filterable', async () => {
  const bases = creating_examples(catalog);
  const events = bases.map((b, i) => unique_copy(b, i + 1));
  const unknown = unique_copy(bases[0], 100);
  unknown.colour = 'blue'; // an unknown top-level field: a warning
  const bad_id = unique_copy(bases[1], 101);
  bad_id.event_id = 'not-an-id'; // an error
  events.push(unknown, bad_id);
  const text = `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
  const file = path.join(tmp, 'stream.ndjson');
  writeFileSync(file, text);

  const { page, requests } = await new_page(site);
  const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  const loaded = requests.length;
  await page.setInputFiles('#file-input', file);
  await wait_validated(page, before_run);
  assert.deepEqual(requests.slice(loaded), [], 'validating a file made network requests');

  assert.match(await page.textContent('#summary-text'), new RegExp(`^${events.length} events checked: 2 findings`));
  assert.deepEqual(await counts(page), { critical: 0, error: 1, warning: 1, info: 0 });
  assert.match(await page.textContent('#source-note'), /stream\.ndjson/);
  // The editor holds the file, one event a line.
  assert.equal(await page.inputValue('#editor'), text);
  const list = await findings(page);
  assert.deepEqual(
    list.map((f) => [f.code, f.severity, f.line]),
    [
      ['envelope.unknown_field', 'warning', events.length - 1],
      ['envelope.event_id.format', 'error', events.length],
    ],
  );
  const per_rule = await page.$$eval('#by-rule-body tr', (rows) => rows.map((r) => [r.dataset.code, r.cells[2].textContent]));
  assert.deepEqual(per_rule.sort(), [['envelope.event_id.format', '1'], ['envelope.unknown_field', '1']]);
  await page.click('#by-rule summary');
  await screenshot(page, 'validator-ndjson-counts', { fullPage: true });

  // Filter: hide errors, only the warning is left.
  await page.click('#sev-filter [data-severity="error"]');
  await page.waitForFunction(() => document.querySelectorAll('#findings .finding').length === 1);
  assert.deepEqual((await findings(page)).map((f) => f.code), ['envelope.unknown_field']);
  assert.equal(await page.getAttribute('#sev-filter [data-severity="error"]', 'aria-pressed'), 'false');
  await page.click('#sev-filter [data-severity="error"]');
  await page.waitForFunction(() => document.querySelectorAll('#findings .finding').length === 2);

  // Per rule: show only one rule's findings, then all again.
  await page.click('#by-rule-body tr[data-code="envelope.event_id.format"] button.only-rule');
  await page.waitForFunction(() => document.querySelectorAll('#findings .finding').length === 1);
  assert.deepEqual((await findings(page)).map((f) => f.code), ['envelope.event_id.format']);
  assert.equal(await page.textContent('#rule-filter-code'), 'envelope.event_id.format');
  assert.equal(await page.textContent('#page-text'), 'Findings 1–1 of 1 (filtered from 2)');
  await page.click('#rule-filter-clear');
  await page.waitForFunction(() => document.querySelectorAll('#findings .finding').length === 2);
  assert.equal(await page.isVisible('#rule-filter'), false);

  // Profile and strict are options of the run: strict turns the unknown field into an error.
  await page.check('#strict');
  await page.waitForFunction(() => document.querySelector('#sev-filter [data-severity="error"]').dataset.count === '2');
  assert.deepEqual(await counts(page), { critical: 0, error: 2, warning: 0, info: 0 });

  // Download the whole report as JSON: the CLI's report shape.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const saved = path.join(tmp, 'report.json');
  await download.saveAs(saved);
  const report = JSON.parse(readFileSync(saved, 'utf8'));
  assert.equal(report.summary.events, events.length);
  assert.equal(report.summary.error, 2);
  assert.deepEqual(report.findings.map((f) => f.code).sort(), ['envelope.event_id.format', 'envelope.unknown_field']);
  assert.deepEqual(foreign(requests, site.url), []);
  await page.context().close();
});

test('a pretty-printed JSON array file: findings on the right lines of the right events', async () => {
  const bases = creating_examples(catalog);
  const events = bases.slice(0, 3).map((b, i) => unique_copy(b, 200 + i));
  events[2].version = 0;
  const text = `${JSON.stringify(events, null, 2)}\n`;
  const file = path.join(tmp, 'events.json');
  writeFileSync(file, text);
  const { page } = await new_page(site);
  const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  await page.setInputFiles('#file-input', file);
  await wait_validated(page, before_run);
  assert.match(await page.textContent('#summary-text'), /^3 events checked/);
  const version_line = text.split('\n').findIndex((l, i) => l.includes('"version": 0') && i > 0) + 1;
  const f = (await findings(page)).find((x) => x.code === 'envelope.version.range');
  assert.ok(f, JSON.stringify(await findings(page)));
  assert.equal(f.line, version_line);
  assert.equal(f.pointer, '/version');
  const meta = await page.textContent('#findings .finding[data-code="envelope.version.range"] .meta');
  assert.match(meta, /event 3$/);
  await page.context().close();
});

test('the example picker loads any catalog example into the editor, which validates clean', async () => {
  const { page } = await new_page(site);
  const options = await page.$$eval('#example-picker option[value]:not([value=""])', (els) => els.map((e) => e.value));
  assert.equal(options.length, catalog.events.reduce((n, e) => n + e.examples.length, 0));
  const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  await page.selectOption('#example-picker', 'ConversationParticipantRemoved#0');
  await wait_validated(page, before_run);
  const ev = catalog.events.find((e) => e.name === 'ConversationParticipantRemoved');
  assert.equal(await page.inputValue('#editor'), JSON.stringify(ev.examples[0], null, 2));
  assert.deepEqual(await counts(page), { critical: 0, error: 0, warning: 0, info: 0 });
  await page.context().close();
});

test('a file dropped on the page is validated', async () => {
  const { page, requests } = await new_page(site);
  const event = example_of(catalog, 'ChannelMapped');
  delete event.payload[catalog.aggregates.find((a) => a.name === 'Channel').id_field];
  const text = `${JSON.stringify(event)}\n`;
  const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  const loaded = requests.length;
  // What a drag from the file manager delivers: a DataTransfer holding a File.
  const transfer = await page.evaluateHandle((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'dropped.ndjson', { type: 'application/x-ndjson' }));
    return dt;
  }, text);
  await page.dispatchEvent('#editor', 'dragover', { dataTransfer: transfer });
  assert.equal(await page.isVisible('#drop-hint'), true);
  await page.dispatchEvent('#editor', 'drop', { dataTransfer: transfer });
  await wait_validated(page, before_run);
  assert.equal(await page.isVisible('#drop-hint'), false);
  assert.match(await page.textContent('#source-note'), /dropped\.ndjson/);
  assert.equal(await page.inputValue('#editor'), text);
  const list = await findings(page);
  assert.ok(list.some((f) => f.code === 'payload.required' && f.line === 1), JSON.stringify(list));
  assert.deepEqual(requests.slice(loaded), []);
  await page.context().close();
});

test('the rule code of a finding links to its checklist entry; a finding can be copied', async () => {
  const { page } = await new_page(site);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
  const event = example_of(catalog, 'ProviderConfigured');
  delete event.occurred_at;
  await paste_and_validate(page, JSON.stringify(event, null, 2));
  await page.click('#findings .finding[data-code="envelope.occurred_at.missing"] button.copy');
  await page.waitForFunction(() => /Copied finding/.test(document.getElementById('status').textContent));
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  assert.equal(copied.code, 'envelope.occurred_at.missing');
  assert.equal(copied.severity, rules.find((r) => r.code === 'envelope.occurred_at.missing').severity);
  assert.equal(copied.pointer, '/occurred_at');

  await page.click('#findings .finding[data-code="envelope.occurred_at.missing"] a.code');
  await page.waitForURL((u) => u.pathname === '/checklist/' && u.hash === '#envelope.occurred_at.missing');
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  const entry = page.locator('[id="envelope.occurred_at.missing"]');
  await entry.waitFor();
  assert.ok(await entry.isVisible());
  assert.equal(await page.evaluate(() => document.activeElement.id), 'envelope.occurred_at.missing');
  assert.match(await entry.textContent(), /envelope\.occurred_at\.missing/);
  await screenshot(page, 'checklist-entry-from-finding');
  // Back to the validator: the events and their findings are still there, and the keyboard focus
  // is back on the rule link that was followed.
  await page.goBack();
  await page.waitForSelector('#view-validator:not([hidden])');
  await page.waitForFunction(() => document.getElementById('findings').dataset.page === '0' && !document.body.dataset.validating);
  assert.equal(await page.inputValue('#editor'), JSON.stringify(event, null, 2));
  assert.ok((await findings(page)).some((f) => f.code === 'envelope.occurred_at.missing'));
  assert.equal(await page.evaluate(() => document.activeElement.closest('.finding')?.dataset.code), 'envelope.occurred_at.missing');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('code')), true);
  await page.context().close();
});

test('event text is shown as text: <script> and <img onerror> payloads stay inert', async () => {
  const { page, requests, errors } = await new_page(site);
  const event = example_of(catalog, 'CustomerCreated');
  event.payload.name = '<script>window.__xss = "script"</script>';
  event.payload.legal_name = '<img src=x onerror="window.__xss = \'img\'">';
  event['<img src=x onerror="window.__xss=1">'] = '<svg onload="window.__xss=2">';
  event.payload['<b onmouseover="window.__xss=3">x</b>'] = 1;
  const text = JSON.stringify(event, null, 2);
  await paste_and_validate(page, text);
  const list = await findings(page);
  // The unknown field names come back in the findings, as literal text.
  const top = list.find((f) => f.code === 'envelope.unknown_field');
  assert.ok(top, `no envelope.unknown_field finding; got ${JSON.stringify(list)}`);
  assert.ok(top.message.includes('<img src=x onerror='), `message: ${top.message}`);
  assert.ok(list.some((f) => f.code === 'payload.unknown_field' && f.message.includes('<b onmouseover=')));
  // Hover and click every finding, then look for any sign that markup ran or was created.
  for (const el of await page.$$('#findings .finding')) {
    await el.hover();
    await el.click();
  }
  await page.waitForTimeout(300);
  const state = await page.evaluate(() => ({
    flag: window.__xss,
    imgs: document.querySelectorAll('img').length,
    scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
    svgs_outside_docs: document.querySelectorAll('#view-validator svg').length,
    bolds: document.querySelectorAll('#findings b').length,
  }));
  assert.deepEqual(state, { flag: undefined, imgs: 0, scripts: ['./js.js', './app.mjs'], svgs_outside_docs: 0, bolds: 0 });
  assert.deepEqual(foreign(requests, site.url), [], 'the payload made a request (e.g. the img src)');
  assert.ok(!requests.some((r) => r.url.endsWith('/x')), 'the <img src=x> was fetched');
  assert.deepEqual(errors, []);
  assert.deepEqual(await csp_violations(page), []);
  await screenshot(page, 'validator-xss-inert');
  await page.context().close();
});

test('redaction shows before and after; the redacted events validate clean under the public profile', async () => {
  const { page, requests } = await new_page(site);
  const ev = catalog.events.find((e) => e.fields.some((f) => f.privacy === 'pii' && f.type === 'string'));
  const pii = ev.fields.filter((f) => f.privacy === 'pii' && f.type === 'string').map((f) => f.name);
  const event = example_of(catalog, ev.name);
  const values = pii.map((name) => event.payload[name]).filter((v) => typeof v === 'string');
  assert.ok(values.length > 0, `${ev.name}'s example has no pii value`);
  const text = JSON.stringify(event, null, 2);
  await paste_and_validate(page, text);
  await page.selectOption('#profile', 'public');
  await page.waitForFunction(() => document.querySelector('#findings .finding[data-code="privacy.pii_in_public"]'));

  assert.equal(await page.isVisible('#redact'), true);
  await page.click('#redact');
  await page.fill('#redact-key', 'a key only this test knows');
  const loaded = requests.length;
  await page.click('#redact-run');
  await page.waitForFunction(() => document.body.dataset.redacted);
  const after = await page.textContent('#redact-after');
  const before = await page.textContent('#redact-before');
  for (const v of values) {
    assert.ok(before.includes(v), `before: ${v}`);
    assert.ok(!after.includes(v), `the pii value ${v} survived redaction`);
  }
  assert.match(after, /redacted:[0-9a-f]{32}/);
  // The changed lines are marked, and they are the lines of the pii fields.
  const marked = await page.$$eval('#redact-after .ln.changed', (els) => els.map((e) => Number(e.dataset.line)));
  assert.deepEqual(marked, pii.filter((n) => typeof event.payload[n] === 'string').map((n) => line_of(text, `"${n}"`)).sort((a, b) => a - b));
  await screenshot(page, 'validator-redaction', { fullPage: true });

  const before_run = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  await page.click('#redact-use');
  await wait_validated(page, before_run);
  assert.equal(await page.inputValue('#profile'), 'public');
  assert.equal((await findings(page)).filter((f) => f.code.startsWith('privacy.')).length, 0);
  assert.deepEqual(requests.slice(loaded), [], 'redaction or validation made requests');
  await page.context().close();
});

test('redaction withholds an event it cannot read, and the page says so', async () => {
  const { page } = await new_page(site);
  const ev = catalog.events.find((e) => e.fields.some((f) => f.privacy === 'pii' && f.type === 'string'));
  const field = ev.fields.find((f) => f.privacy === 'pii' && f.type === 'string').name;
  const good = example_of(catalog, ev.name);
  const broken = { ...good, payload: { ...good.payload, [field]: 'Private Person 4711' } };
  // The second line lacks its closing brace: redaction cannot read it, so it must not pass it on.
  const text = `${JSON.stringify(good)}\n${JSON.stringify(broken).slice(0, -1)}\n`;
  await paste_and_validate(page, text);
  await page.click('#redact');
  await page.click('#redact-run');
  await page.waitForFunction(() => document.body.dataset.redacted);
  const notice = await page.textContent('#redact-withheld');
  assert.match(notice, /^1 event withheld \(line 2\): it could not be read for redaction/);
  assert.equal(await page.isVisible('#redact-withheld'), true);
  const after = await page.textContent('#redact-after');
  assert.ok(!after.includes('Private Person 4711'), 'the unreadable event passed through');
  assert.ok(!after.includes(good.payload[field]), 'the readable event was not redacted');
  assert.match(after, /\[event withheld by msgevents redact\]/);
  await page.context().close();
});

test('the page source never turns text into markup or code', () => {
  // The inert-payload test above checks behaviour; this keeps the sinks out of the source, so a
  // later change cannot add one on a path that test does not reach.
  const dir = path.join(ROOT, 'web', 'src');
  for (const name of readdirSync(dir)) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'srcdoc']) {
      assert.ok(!text.includes(sink), `${name} uses ${sink}`);
    }
  }
});

test('light and dark mode and a phone-sized screen', async () => {
  const event = example_of(catalog, 'ConversationCreated');
  event.payload.topic = 'Call me at +44 20 7946 0958';
  event.occurred_at = '2025-11-05 09:12:44';
  const text = JSON.stringify(event, null, 2);
  for (const [scheme, viewport, name] of [
    ['dark', { width: 1280, height: 900 }, 'validator-dark'],
    ['light', { width: 390, height: 844 }, 'validator-phone'],
    ['dark', { width: 390, height: 844 }, 'validator-phone-dark'],
  ]) {
    const { page } = await new_page(site, { colorScheme: scheme, viewport });
    await paste_and_validate(page, text);
    await page.click('#findings .finding .msg');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    if (scheme === 'dark') assert.equal(bg, 'rgb(15, 18, 22)');
    else assert.equal(bg, 'rgb(255, 255, 255)');
    // Nothing is wider than the screen (tables and the editor scroll inside themselves).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `${name}: the page scrolls sideways`);
    await screenshot(page, name, { fullPage: true });
    await page.context().close();
  }
});
