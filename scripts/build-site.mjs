#!/usr/bin/env node
// Builds the static site into site/ (one folder any static host can serve, under any sub-path):
//   - the page's own files from web/src/ (HTML, CSS, ES modules), copied as they are (index.html
//     gets the docs pages' header and footer, docs.mjs site_header/site_footer);
//   - the npm package's built files (npm/src/ wrapper + npm/dist/ Emscripten glue and .wasm),
//     copied under site/pkg/ with the package's own layout, so the page imports exactly the build
//     that npm users get;
//   - site/msgevents.mjs, which re-exports the package's browser entry point (read from the
//     package's `exports` map), so the page does not hard-code the package's file names.
//   - site/compat_data.mjs: the change-policy checker's reports (each release against the next,
//     and each against the current catalog), from the native CLI, the releases themselves, and the
//     policy table (`msgevents compat --policy --format json`) the change-policy page renders;
//   - every docs page as static HTML (catalog/, aggregate/<A>/, event/<E>/, envelope/, checklist/,
//     change-policy/, compat/, versions/ and each release under versions/<v>/), rendered by
//     web/src/docs.mjs from the package itself, loaded here in Node: its catalog, rule registry,
//     checklist, JSON Schemas and CloudEvents mapping. Readable without JavaScript, nothing to
//     load before a page shows; nothing is written by hand and nothing can drift from the validator;
//   - site/downloads/: the catalog, each JSON Schema and the bundle, each example, the checklist
//     and the AsyncAPI document (`msgevents asyncapi`, from the native CLI), as plain files;
//   - site/search_index.json (the documents web/src/search.mjs indexes with MiniSearch, shipped as
//     site/vendor/minisearch.mjs): search works offline, from any page.
//
//   node scripts/build-site.mjs [--out site] [--pkg npm]
import { cp, mkdir, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const out = path.resolve(root, opt('out', 'site'));
const pkg = path.resolve(root, opt('pkg', process.env.MSGEVENTS_PKG_DIR || 'npm'));
const web = path.join(root, 'web', 'src');

async function exists(p) {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

function fail(message) {
  console.error(`build-site: ${message}`);
  process.exit(1);
}

// The package's ES module entry for browsers: exports["."] (browser > import > default), else
// `module`/`main`, else src/index.js.
function entry_of(manifest) {
  const pick = (e) => {
    if (!e) return null;
    if (typeof e === 'string') return e;
    for (const k of ['browser', 'import', 'default']) {
      const v = pick(e[k]);
      if (v) return v;
    }
    return null;
  };
  const dot = manifest.exports && (typeof manifest.exports === 'string' ? manifest.exports : manifest.exports['.']);
  return pick(dot) || manifest.module || manifest.main || 'src/index.js';
}

async function list_files(dir) {
  const found = [];
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) found.push(...(await list_files(p)));
    else found.push(p);
  }
  return found;
}

let manifest = {};
if (await exists(path.join(pkg, 'package.json'))) manifest = JSON.parse(await readFile(path.join(pkg, 'package.json'), 'utf8'));
const entry = entry_of(manifest).replace(/^\.\//, '');
if (!(await exists(path.join(pkg, entry)))) fail(`the npm package's entry ${path.join(pkg, entry)} is missing`);
const dist = path.join(pkg, 'dist');
const wasm_files = (await exists(dist)) ? (await list_files(dist)).filter((f) => f.endsWith('.wasm')) : [];
if (!wasm_files.length) fail(`no .wasm in ${dist}: build the package first (bash scripts/build-wasm.sh)`);

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

// The page.
for (const f of await list_files(web)) {
  const rel = path.relative(web, f);
  await mkdir(path.dirname(path.join(out, rel)), { recursive: true });
  await cp(f, path.join(out, rel));
}

// The package: what its `files` whitelist ships (or src/ and dist/), minus what a browser never
// loads (TypeScript declarations, the Node CLI, source maps, tarballs).
const shipped = Array.isArray(manifest.files) && manifest.files.length ? manifest.files : ['src', 'dist'];
const skip = (f) => /\.(d\.ts|d\.mts|map|tgz|md)$/.test(f) || /(^|\/)(bin|cli)(\/|\.)/.test(path.relative(pkg, f));
let copied = 0;
for (const item of shipped) {
  const src = path.join(pkg, item.replace(/^\.\//, '').replace(/\/\*\*?.*$/, ''));
  if (!(await exists(src))) continue;
  const files = (await stat(src)).isDirectory() ? await list_files(src) : [src];
  for (const f of files) {
    if (skip(f)) continue;
    const dest = path.join(out, 'pkg', path.relative(pkg, f));
    await mkdir(path.dirname(dest), { recursive: true });
    await cp(f, dest);
    copied++;
  }
}
if (!(await exists(path.join(out, 'pkg', entry)))) {
  await mkdir(path.dirname(path.join(out, 'pkg', entry)), { recursive: true });
  await cp(path.join(pkg, entry), path.join(out, 'pkg', entry));
}

await writeFile(
  path.join(out, 'msgevents.mjs'),
  `// Generated by scripts/build-site.mjs: the msgevents npm package's entry point, as npm users get it.\n` +
    `export * from './pkg/${entry}';\n`,
);

// The change-policy report against every released catalog, from the native CLI
// (`msgevents compat --format json OLD NEW`): each release against the next (the history of every
// event type) and each release against the current catalog ("what changed since").
const cli = process.env.MSGEVENTS_CLI || path.join(root, 'build', 'native', 'msgevents');
const compat = await compat_reports();
await writeFile(
  path.join(out, 'compat_data.mjs'),
  `// Generated by scripts/build-site.mjs from \`msgevents compat --format json\`.\nexport default ${JSON.stringify(compat, null, 1)};\n`,
);

async function compat_reports() {
  const releases_dir = path.join(root, 'src', 'catalog', 'releases');
  if (!(await exists(releases_dir))) return { comparisons: [], since: [], releases: [], note: 'No released catalog versions are kept in src/catalog/releases/.' };
  const semver = (f) => path.basename(f, '.json').split('.').map(Number);
  const releases = (await readdir(releases_dir))
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => {
      const x = semver(a);
      const y = semver(b);
      for (let i = 0; i < 3; i++) if ((x[i] || 0) !== (y[i] || 0)) return (x[i] || 0) - (y[i] || 0);
      return 0;
    });
  await mkdir(path.join(out, 'releases'), { recursive: true });
  for (const r of releases) await cp(path.join(releases_dir, r), path.join(out, 'releases', r));
  const names = releases.map((r) => path.basename(r, '.json'));
  if (!(await exists(cli))) {
    console.warn(`build-site: ${path.relative(root, cli)} is not built: the compatibility page will say so`);
    return { comparisons: [], since: [], releases: names, note: 'This build of the site was made without the native CLI, so no comparison was run.' };
  }
  const { execFileSync } = await import('node:child_process');
  const run = (a, b) => {
    try {
      return JSON.parse(execFileSync(cli, ['compat', '--format', 'json', a, b], { encoding: 'utf8' }));
    } catch (error) {
      // Exit 1 means "a change breaks the policy": the report is still on stdout.
      if (error.stdout) return JSON.parse(error.stdout);
      throw error;
    }
  };
  const current = path.join(root, 'src', 'catalog', 'catalog.json');
  const policy = JSON.parse(execFileSync(cli, ['compat', '--policy', '--format', 'json'], { encoding: 'utf8' }));
  const pairs = [];
  for (let i = 0; i + 1 < releases.length; i++) pairs.push([releases[i], releases[i + 1]]);
  if (releases.length) pairs.push([releases[releases.length - 1], null]);
  const report = (a, b) => ({
    old: path.basename(a, '.json'),
    new: b ? path.basename(b, '.json') : 'current',
    report: run(path.join(releases_dir, a), b ? path.join(releases_dir, b) : current),
  });
  const comparisons = pairs.map(([a, b]) => report(a, b));
  // The last release against the current catalog is already the last step.
  const since = releases.map((a, i) => (i === releases.length - 1 ? comparisons[comparisons.length - 1] : report(a, null)));
  return { comparisons, since, releases: names, policy };
}

// ---- the docs, prerendered from the package ------------------------------------------------

const docs = await import(pathToFileURL(path.join(web, 'docs.mjs')).href);
const { render } = await import(pathToFileURL(path.join(web, 'html.mjs')).href);
const { createValidator } = await import(pathToFileURL(path.join(out, 'msgevents.mjs')).href);
const v = await createValidator();
const catalog = v.catalog;
const schemas = {};
const cloudevents = {};
for (const e of catalog.events) {
  // The tools (jsonSchema, toCloudEvent) return Promises: their module loads on the first call.
  schemas[e.name] = await v.jsonSchema(e.name);
  cloudevents[e.name] = await Promise.all((e.examples || []).map((x) => v.toCloudEvent(x)));
}
// The package has no AsyncAPI writer; the native CLI does (`msgevents asyncapi`).
let asyncapi = null;
if (typeof v.asyncapi === 'function') asyncapi = await v.asyncapi();
else if (await exists(cli)) {
  const { execFileSync } = await import('node:child_process');
  asyncapi = JSON.parse(execFileSync(cli, ['asyncapi'], { encoding: 'utf8' }));
}
const releases = [];
for (const name of compat.releases || []) {
  releases.push({ version: name, catalog: JSON.parse(await readFile(path.join(out, 'releases', `${name}.json`), 'utf8')) });
}
const data = {
  catalog,
  rules: v.rules(),
  checklist: v.checklist(),
  schemas,
  schema_bundle: await v.jsonSchema(),
  cloudevents,
  asyncapi: Boolean(asyncapi),
  compat,
  history: docs.event_history(catalog, compat),
  version: v.version,
  releases,
};

const write = async (rel, text) => {
  await mkdir(path.dirname(path.join(out, rel)), { recursive: true });
  await writeFile(path.join(out, rel), text);
};
const json = (x) => `${JSON.stringify(x, null, 2)}\n`;
const { PATHS } = docs;
await write(PATHS.catalog_file, json(catalog));
await write(PATHS.bundle_file, json(data.schema_bundle));
await write(PATHS.checklist_file, data.checklist);
if (asyncapi) await write(PATHS.asyncapi_file, json(asyncapi));
for (const e of catalog.events) {
  await write(decodeURIComponent(PATHS.schema_file(e.name)), json(schemas[e.name]));
  for (const [i, x] of (e.examples || []).entries()) await write(decodeURIComponent(PATHS.example_file(e.name, i)), `${docs.example_text(x)}\n`);
}

const pages = docs.docs_pages(data);
for (const p of pages) {
  const scripts = p.path === 'compat/index.html' ? ['docs_page.mjs', 'compat_page.mjs'] : ['docs_page.mjs'];
  await write(p.path, docs.page_html({ ...p, scripts }, data));
}

// The validator page: its header and footer are the docs pages' own.
const index_path = path.join(out, 'index.html');
const index_html = await readFile(index_path, 'utf8');
const filled = index_html
  .replace('<!-- site-header -->', render(docs.site_header('', 'validator')))
  .replace('<!-- site-footer -->', render(docs.site_footer(data)));
if (filled === index_html || filled.includes('<!-- site-')) fail('web/src/index.html lost its <!-- site-header --> or <!-- site-footer --> marker');
await writeFile(index_path, filled);

// Search: the documents, and MiniSearch itself (one self-contained ES module).
await write('search_index.json', JSON.stringify(docs.search_documents(data)));
// The package's ES module build (its `import` export), one file with no imports of its own.
const minisearch = createRequire(import.meta.url).resolve('minisearch').replace(/dist[\\/]cjs[\\/]index\.cjs$/, path.join('dist', 'es', 'index.js'));
if (!minisearch.endsWith(path.join('dist', 'es', 'index.js'))) fail(`unexpected layout of the minisearch package: ${minisearch}`);
await mkdir(path.join(out, 'vendor'), { recursive: true });
await cp(minisearch, path.join(out, 'vendor', 'minisearch.mjs'));

console.log(`build-site: ${path.relative(root, out)}/ built (${pages.length} docs pages, ${copied} package files from ${path.relative(root, pkg)}/, entry pkg/${entry})`);
