// The package in an app built by Vite: a tiny app in the test project imports 'msgevents' from
// the installed tarball; `vite build` must emit the .wasm as an asset, and the built app must run
// in headless Chromium under the strict CSP and validate an event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, testProject } from './helpers/package.mjs';

const { build } = await import(pathToFileURL(join(repoRoot, 'node_modules/vite/dist/node/index.js')).href);

function listFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    (d.isDirectory() ? listFiles(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]));
}

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
    '',
  ].join('\n'));
  await build({
    root: app,
    logLevel: 'silent',
    configFile: false,
    build: { outDir: join(app, 'dist'), emptyOutDir: true, target: 'es2022' },
  });
  const files = listFiles(join(app, 'dist'));
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `expected one .wasm in ${files.join(', ')}`);
  const js = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(app, 'dist', f), 'utf8')).join('\n');
  assert.ok(js.includes(wasm[0].split('/').pop()), 'the bundle refers to the emitted .wasm');
  assert.doesNotMatch(js, /new Function\s*\(|(^|[^\w.])eval\s*\(/);

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
    assert.ok(server.requests.some((p) => p.endsWith('.wasm')), 'the app fetched the emitted .wasm');
  } finally {
    await browser.close();
    await server.close();
  }
});
