// The npm package in headless Chromium: served from 127.0.0.1 under the strict CSP
// `script-src 'self' 'wasm-unsafe-eval'` (HTTP header), imported with <script type="module"> in a
// page and in a module worker, exactly as a user's static site would. Each validates a good and a
// bad event; the findings must equal those of the same package under Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { importPackage, packageDir } from '../node/helpers/package.mjs';
import { serve } from './package/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM_ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-quic', '--no-first-run'];

let browser;
let server;
let site;
let cases;
let expected;
let expectedStream;
let expectedTools;

before(async () => {
  const { createValidator } = await importPackage();
  const v = await createValidator();
  const good = JSON.stringify(v.catalog.events[0].examples[0]);
  const badEvent = structuredClone(v.catalog.events[0].examples[0]);
  badEvent.event_id = 'not-a-uuid';
  cases = [
    { name: 'good', input: good, options: { profile: 'internal' } },
    { name: 'bad', input: `${JSON.stringify(badEvent)}\n`, options: { profile: 'public', strict: true, now: '2030-01-01T00:00:00Z' } },
  ];
  expected = cases.map((c) => v.validate(c.input, c.options));
  expectedStream = v.validate(cases.map((c) => c.input).join('\n'), cases[0].options);
  const event = JSON.parse(good);
  expectedTools = { schema: await v.jsonSchema(event.event_name), cloudEvent: await v.toCloudEvent(event) };

  site = mkdtempSync(join(tmpdir(), 'msgevents-browser-'));
  for (const f of ['index.html', 'page.mjs', 'worker.mjs', 'run_cases.mjs']) cpSync(join(here, 'package', f), join(site, f));
  writeFileSync(join(site, 'cases.json'), JSON.stringify(cases));
  server = await serve({ '/': site, '/msgevents/': packageDir() });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

test('the package validates in a page and in a module worker under a strict CSP', async (t) => {
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => window.__msgevents !== undefined, null, { timeout: 30000 });
  const result = await page.evaluate(() => window.__msgevents);
  await page.close();

  assert.equal(result.error, undefined, `page failed: ${result.error}`);
  assert.deepEqual(result.violations, [], 'CSP violations in the page');
  assert.deepEqual(consoleErrors, [], 'console errors in the page');
  assert.ok(server.requests.includes('/msgevents/dist/msgevents_wasm.wasm'), 'the .wasm was loaded from beside the package');
  assert.ok(server.requests.includes('/msgevents/dist/msgevents_tools.wasm'), 'the tools .wasm was loaded from beside the package');

  for (const [where, got] of [['page', result.page], ['worker', result.worker]]) {
    assert.equal(got.error, undefined, `${where} failed: ${got.error}`);
    assert.deepEqual(got.violations ?? [], [], `CSP violations in the ${where}`);
    // The good event: no findings at all.
    assert.deepEqual(got.results[0].summary, { events: 1, critical: 0, error: 0, warning: 0, info: 0 });
    assert.deepEqual(got.results[0].findings, []);
    // The bad event: the event_id finding, at the right place.
    const idFinding = got.results[1].findings.find((f) => f.pointer === '/event_id');
    assert.ok(idFinding, `${where}: no finding at /event_id`);
    assert.equal(idFinding.code, 'envelope.event_id.format');
    assert.equal(idFinding.severity, 'error');
    assert.equal(idFinding.line, 1);
    assert.equal(idFinding.event_index, 0);
    // Everything identical to Node's result.
    assert.deepEqual(got.results, expected, `${where}: findings differ from Node`);
    assert.ok(got.events >= 21, `${where}: catalog has ${got.events} events`);
    assert.match(got.checklistStart, /^#/);
    // Validating loads the validator module only; the first tool call loads the tools module.
    assert.deepEqual(got.wasmBeforeTools, ['/msgevents/dist/msgevents_wasm.wasm'], `${where}: before the tools`);
    assert.deepEqual(got.wasmAfterTools, ['/msgevents/dist/msgevents_wasm.wasm', '/msgevents/dist/msgevents_tools.wasm'], `${where}: after`);
    assert.deepEqual(got.tools.schema, expectedTools.schema, `${where}: jsonSchema`);
    assert.deepEqual(got.tools.cloudEvent, expectedTools.cloudEvent, `${where}: toCloudEvent`);
    assert.equal(got.tools.compatOk, true, `${where}: compat`);
    assert.deepEqual(got.tools.report.summary, { events: 1, critical: 0, error: 0, warning: 0, info: 0 }, `${where}: createReport`);
    t.diagnostic(`${where}: createValidator() to first result ${got.firstResultMs.toFixed(1)} ms`);
  }
  // Streaming in 7-byte chunks gives the same findings as one call over the same bytes.
  for (const got of [result.page.streamed, result.worker.streamed]) {
    assert.deepEqual(got, { summary: expectedStream.summary, findings: expectedStream.findings });
  }
  assert.equal(expectedStream.summary.events, 2);
});
