// Shared set-up for the site's browser tests: serves the built site (site/) on 127.0.0.1 with the
// project's own server (scripts/serve.mjs: real MIME types and the CSP header), launches Debian's
// Chromium through playwright-core, records every request a page or its worker makes, and saves
// screenshots into test-output/screenshots/.
import { mkdirSync, existsSync, mkdtempSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../../scripts/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SITE = path.join(ROOT, 'site');
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
const CHROMIUM_ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-quic', '--no-first-run'];

// Serves site/ on a free port of 127.0.0.1. With `sub_path` (e.g. 'a/b/'), the site is served from
// that folder of the server instead of its root, as a static host's sub-path would.
export async function open_site({ sub_path = '' } = {}) {
  if (!existsSync(path.join(SITE, 'index.html'))) throw new Error('site/ is not built: run node scripts/build-site.mjs');
  mkdirSync(SCREENSHOTS, { recursive: true });
  let root = SITE;
  let cleanup = () => {};
  if (sub_path) {
    root = mkdtempSync(path.join(tmpdir(), 'msgevents-subpath-'));
    mkdirSync(path.join(root, path.dirname(sub_path.replace(/\/$/, ''))), { recursive: true });
    symlinkSync(SITE, path.join(root, sub_path.replace(/\/$/, '')), 'dir');
    cleanup = () => rmSync(root, { recursive: true, force: true });
  }
  const { server, url: base } = await startServer({ root, port: 0, host: '127.0.0.1' });
  const url = base + sub_path;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      cleanup();
    },
  };
}

// A new page (in its own context) with a request log and a console-error log; waits until the
// page's scripts are ready (the validator's worker, a docs page's search). `path` is relative to
// the site's root (e.g. 'catalog/' or 'checklist/#payload.required').
export async function new_page(site, { path: rel = '', viewport, colorScheme = 'light' } = {}) {
  const context = await site.browser.newContext({
    viewport: viewport || { width: 1280, height: 900 },
    colorScheme,
    acceptDownloads: true,
  });
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push({ url: r.url(), at: Date.now() }));
  // Any Content-Security-Policy violation in the page is a failure the tests can read.
  await context.addInitScript(() => {
    window.__csp_violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp_violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(site.url + rel);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30000 });
  return { page, context, requests, errors };
}

// Opens `rel` (from the site's root) in `page` and waits until its scripts are ready.
export async function goto(page, site, rel) {
  await page.goto(site.url + rel);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30000 });
}

// Fills the editor as a paste would and waits for that run's results.
export async function paste_and_validate(page, text) {
  const before = await page.evaluate(() => Number(document.body.dataset.validated || 0));
  await page.fill('#editor', text);
  await page.click('#validate');
  await wait_validated(page, before);
}

export async function wait_validated(page, before, timeout = 30000) {
  await page.waitForFunction(
    (b) => Number(document.body.dataset.validated || 0) > b && !document.body.dataset.validating,
    before,
    { timeout },
  );
  // The first page of findings arrives right after the summary.
  await page.waitForFunction(() => document.getElementById('findings').dataset.page === '0', null, { timeout });
}

export async function counts(page) {
  return page.evaluate(() => {
    const out = {};
    for (const b of document.querySelectorAll('#sev-filter [data-severity]')) out[b.dataset.severity] = Number(b.dataset.count);
    return out;
  });
}

export async function findings(page) {
  return page.$$eval('#findings .finding', (els) =>
    els.map((el) => ({
      code: el.dataset.code,
      severity: el.dataset.severity,
      line: Number(el.dataset.line),
      loc: el.querySelector('.loc').textContent,
      message: el.querySelector('.msg').textContent,
      pointer: el.querySelector('.ptr').textContent,
    })),
  );
}

export async function screenshot(page, name, options = {}) {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  return file;
}

// The requests after the first `loaded` ones that are not the page loading the site's own code: a
// large input starts checking workers, which load batch_worker.mjs and the package's modules (and
// the session the package's tools module), all files of site/. Anything else would be validation
// reaching out.
export function requests_beyond_code(requests, loaded, site_url) {
  const base = new URL(site_url);
  return requests.slice(loaded).filter((r) => {
    const url = new URL(r.url);
    if (url.origin !== base.origin || url.search || !url.pathname.startsWith(base.pathname)) return true;
    const file = decodeURIComponent(url.pathname.slice(base.pathname.length));
    return !/\.(mjs|js|wasm)$/.test(file) || !existsSync(path.join(SITE, file));
  });
}

// Requests that did not go to the site's own origin (blob: URLs of downloads are the page's own).
export function foreign(requests, site_url) {
  const origin = new URL(site_url).origin;
  return requests.filter((r) => {
    if (r.url.startsWith('data:')) return false;
    if (r.url.startsWith('blob:')) return !r.url.startsWith(`blob:${origin}/`);
    return new URL(r.url).origin !== origin;
  });
}

// The catalog, read through the package build the site ships (the same one the page runs).
export async function site_catalog() {
  const entry = path.join(SITE, 'msgevents.mjs');
  const { createValidator } = await import(pathToFileURL(entry).href);
  const v = await createValidator();
  return { catalog: v.catalog, rules: v.rules(), validator: v };
}

export function example_of(catalog, name) {
  const ev = catalog.events.find((e) => e.name === name);
  if (!ev) throw new Error(`no event type ${name} in the catalog`);
  const ex = ev.examples[0];
  return structuredClone(typeof ex === 'string' ? JSON.parse(ex) : ex);
}

/** 1-based line of the first occurrence of `needle` in `text`. */
export function line_of(text, needle) {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in text`);
  return text.slice(0, at).split('\n').length;
}

export async function csp_violations(page) {
  return page.evaluate(() => window.__csp_violations);
}
