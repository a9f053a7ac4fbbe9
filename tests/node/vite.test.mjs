// The package in an app built by Vite: a tiny app in the test project imports 'msgevents' from
// the installed tarball; `vite build` must emit both modules' .wasm as assets, what the app
// downloads to validate (its entry chunk, the chunks that imports statically and the validator
// .wasm) must stay within 150 KB gzipped (issue 15), and the built app must run in headless
// Chromium under the strict CSP, validate an event without fetching the tools module, and fetch
// it on its first tool call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { repoRoot, testProject } from './helpers/package.mjs';

// The budget for what `import { createValidator } from 'msgevents'` downloads to validate.
const VALIDATING_BUDGET_GZ = 150 * 1024;

const { build } = await import(pathToFileURL(join(repoRoot, 'node_modules/vite/dist/node/index.js')).href);

function listFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    (d.isDirectory() ? listFiles(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]));
}

// The JS the built page loads before any dynamic import(): the scripts and modulepreloads of
// index.html and, transitively, every chunk they import statically (`import ... from "./x.js"`).
function startupChunks(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const pending = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
  const seen = new Set();
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const js = readFileSync(join(dist, file), 'utf8');
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const m of js.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.js)["']/g)) pending.push(dir + m[1]);
  }
  return [...seen];
}

const gzipped = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

test('vite build bundles the package and emits its .wasm; the built app validates in Chromium', async (t) => {
  const app = join(testProject(), 'vite-app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'index.html'), '<!doctype html>\n<meta charset="utf-8">\n<script type="module" src="./main.js"></script>\n<pre id="out"></pre>\n');
  writeFileSync(join(app, 'main.js'), [
    "import { createValidator } from 'msgevents';",
    'const v = await createValidator();',
    'const good = JSON.stringify(v.catalog.events[0].examples[0]);',
    "const bad = good.replace(/\"event_id\":\\s*\"[^\"]*\"/, '\"event_id\": \"nope\"');",
    'window.__result = { good: v.validate(good), bad: v.validate(bad) };',
    "document.getElementById('out').textContent = JSON.stringify(window.__result);",
    'window.__tool = () => v.jsonSchema(v.catalog.events[0].name);',
    '',
  ].join('\n'));
  await build({
    root: app,
    logLevel: 'silent',
    configFile: false,
    build: { outDir: join(app, 'dist'), emptyOutDir: true, target: 'es2022' },
  });
  const dist = join(app, 'dist');
  const files = listFiles(dist);
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 2, `expected the two modules' .wasm in ${files.join(', ')}`);
  const validatorWasm = wasm.find((f) => f.includes('msgevents_wasm'));
  const toolsWasm = wasm.find((f) => f.includes('msgevents_tools'));
  assert.ok(validatorWasm && toolsWasm, wasm.join(', '));
  const js = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dist, f), 'utf8')).join('\n');
  assert.ok(js.includes(validatorWasm.split('/').pop()) && js.includes(toolsWasm.split('/').pop()), 'the bundle refers to the emitted .wasm files');
  assert.doesNotMatch(js, /new Function\s*\(|(^|[^\w.])eval\s*\(/);

  // What the app downloads to validate: its startup JS and the validator module, not the tools.
  const startup = startupChunks(dist);
  const startupJs = startup.map((f) => readFileSync(join(dist, f), 'utf8')).join('\n');
  assert.ok(!startupJs.includes(toolsWasm.split('/').pop()), 'the startup chunks do not refer to the tools .wasm (it is in a lazy chunk)');
  // makeEvent's table (dist/event-types.js, imported statically by the wrapper) is dropped from an
  // app that never calls makeEvent: the bundler tree-shakes it, so it costs the budget nothing.
  assert.ok(!/\bidField\b|CustomerDisabled/.test(js), "the bundle of an app without makeEvent holds makeEvent's table");
  const jsGz = startup.reduce((n, f) => n + gzipped(join(dist, f)), 0);
  const wasmGz = gzipped(join(dist, validatorWasm));
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  t.diagnostic(`to validate: ${kb(wasmGz + jsGz)} gzipped (validator .wasm ${kb(wasmGz)}, JS ${kb(jsGz)} in ${startup.join(', ')}); ` +
    `tools .wasm ${kb(gzipped(join(dist, toolsWasm)))}, loaded on first use`);
  assert.ok(wasmGz + jsGz <= VALIDATING_BUDGET_GZ,
    `what a page downloads to validate is ${kb(wasmGz + jsGz)} gzipped, over the ${kb(VALIDATING_BUDGET_GZ)} budget`);

  if (process.env.MSGEVENTS_SKIP_BROWSER === '1') {
    t.diagnostic('MSGEVENTS_SKIP_BROWSER=1: not running the built app');
    return;
  }
  const { chromium } = await import('playwright-core');
  const { serve } = await import('../browser/package/server.mjs');
  const server = await serve({ '/': join(app, 'dist') });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30000 });
    const result = await page.evaluate(() => window.__result);
    assert.deepEqual(errors, []);
    assert.deepEqual(result.good.findings, []);
    assert.ok(result.bad.findings.some((f) => f.code === 'envelope.event_id.format' && f.pointer === '/event_id'),
      JSON.stringify(result.bad.findings));
    assert.ok(server.requests.some((p) => p.endsWith(validatorWasm.split('/').pop())), 'the app fetched the validator .wasm');
    assert.ok(!server.requests.some((p) => p.endsWith(toolsWasm.split('/').pop())), 'validating did not fetch the tools .wasm');
    const schema = await page.evaluate(() => window.__tool());
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.ok(server.requests.some((p) => p.endsWith(toolsWasm.split('/').pop())), 'the first tool call fetched the tools .wasm');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
