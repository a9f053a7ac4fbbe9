// The WebAssembly package's numbers (issue 3): download size, start-up time and throughput.
//
//   node bench/wasm_bench.mjs [--package DIR] [--corpus FILE] [--native PATH] [--rounds N]
//
// - Size of each part, raw and gzipped (-9): the validator module's .wasm and glue and the
//   hand-written wrapper (what `import { createValidator } from 'msgevents'` loads to validate),
//   and the tools module's, loaded on first use; then what a Vite app downloads to validate (its
//   startup chunks, minified by Vite, and the validator .wasm): target <= 150 KB gzipped (issue 15),
//   checked by tests/node/vite.test.mjs.
// - Time from createValidator() to the first result in a fresh Node process (module read,
//   compile, instantiate, one small validate), the median of 5 processes; and the first
//   validation of the corpus (cold: before the engine has tiered the code up) against the best.
// - Throughput in Node on the benchmark corpus (default: make_corpus's 100,000 events from
//   build/native/bench, else a deterministic one generated here), beside native validate_bench on
//   the same file in the same run when it is built: events/s and MB/s, best of N rounds.
// Time in Chromium is measured by tests/browser/package.test.mjs (its diagnostics) and
// bench/head_to_head.mjs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const repoRoot = resolve(import.meta.dirname, '..');
const args = { package: join(repoRoot, 'npm'), corpus: null, native: join(repoRoot, 'build/native/bench'), rounds: 5 };
for (let i = 2; i < process.argv.length; ++i) {
  const a = process.argv[i];
  if (a === '--package') args.package = resolve(process.argv[++i]);
  else if (a === '--corpus') args.corpus = resolve(process.argv[++i]);
  else if (a === '--native') args.native = resolve(process.argv[++i]);
  else if (a === '--rounds') args.rounds = Number(process.argv[++i]);
  else {
    console.error('usage: node bench/wasm_bench.mjs [--package DIR] [--corpus FILE] [--native DIR] [--rounds N]');
    process.exit(2);
  }
}
const NOW = '2027-01-01T00:00:00Z'; // validate_bench's fixed clock (after every catalog example): both sides check the same

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

// --- Size
const TARGET = 150 * 1024;
console.log('## Size');
const part = (file) => {
  const bytes = readFileSync(join(args.package, file));
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`${file.padEnd(26)} ${kb(bytes.length).padStart(10)} raw ${kb(gz).padStart(9)} gzipped`);
  return gz;
};
let validatingGz = 0;
console.log('validator module (createValidator):');
// index.js imports makeEvent's table (dist/event-types.js) statically; a bundler drops it from an
// app that does not call makeEvent (the Vite figure below), an unbundled page loads it.
for (const file of ['dist/msgevents_wasm.wasm', 'dist/msgevents_wasm.mjs', 'src/index.js', 'src/internal.js', 'dist/event-types.js']) {
  validatingGz += part(file);
}
console.log(`  to validate, as shipped: ${kb(validatingGz)} gzipped (wasm + glue + wrapper, unminified)`);
console.log('tools module (createReport, jsonSchema, toCloudEvent, compat, compatPolicy; loaded on first use):');
let toolsGz = 0;
for (const file of ['dist/msgevents_tools.wasm', 'dist/msgevents_tools.mjs', 'src/tools.js']) toolsGz += part(file);
console.log(`  ${kb(toolsGz)} gzipped`);
const vite = join(repoRoot, 'node_modules/vite/dist/node/index.js');
if (existsSync(vite)) {
  // A one-line app, bundled as a user's would be: what its page fetches before the first result.
  const { build } = await import(pathToFileURL(vite).href);
  const app = mkdtempSync(join(tmpdir(), 'msgevents-vite-'));
  writeFileSync(join(app, 'index.html'), '<!doctype html>\n<script type="module" src="./main.js"></script>\n');
  writeFileSync(join(app, 'main.js'), "import { createValidator } from 'msgevents';\nconst v = await createValidator();\n" +
    "window.r = v.validate('{}');\nwindow.t = () => v.jsonSchema();\n");
  await build({ root: app, logLevel: 'silent', configFile: false, resolve: { alias: { msgevents: join(args.package, 'src/index.js') } },
    build: { outDir: join(app, 'dist'), target: 'es2022' } });
  const dist = join(app, 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const startup = new Set();
  const pending = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
  while (pending.length > 0) {
    const file = pending.pop();
    if (startup.has(file)) continue;
    startup.add(file);
    for (const m of readFileSync(join(dist, file), 'utf8').matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.js)["']/g)) pending.push(`assets/${m[1]}`);
  }
  const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  const jsGz = [...startup].reduce((n, f) => n + gz(f), 0);
  const wasmFile = execFileSync('ls', [join(dist, 'assets')], { encoding: 'utf8' }).split('\n').find((f) => f.startsWith('msgevents_wasm'));
  const wasmGz = gz(`assets/${wasmFile}`);
  console.log(`bundled by Vite, to validate: ${kb(wasmGz + jsGz)} gzipped (.wasm ${kb(wasmGz)}, startup JS ${kb(jsGz)}); ` +
    `target <= 150 KB: ${wasmGz + jsGz <= TARGET ? 'met' : 'NOT met'}`);
  rmSync(app, { recursive: true, force: true });
}

// --- Start-up: fresh processes, so nothing is cached in the engine.
console.log('\n## createValidator() to first result, Node (fresh process, median of 5)');
const probe = `
const t0 = performance.now();
const { createValidator } = await import(${JSON.stringify(pathToFileURL(join(args.package, 'src/index.js')).href)});
const v = await createValidator();
const t1 = performance.now();
v.validate('{"event_name":"CustomerCreated"}');
console.log(JSON.stringify({ load: t1 - t0, first: performance.now() - t0 }));`;
const starts = [];
for (let i = 0; i < 5; ++i) {
  starts.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' })));
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`import + createValidator(): ${median(starts.map((s) => s.load)).toFixed(1)} ms; first result: ${median(starts.map((s) => s.first)).toFixed(1)} ms`);

// --- Throughput
let corpusPath = args.corpus;
if (!corpusPath && existsSync(join(args.native, 'make_corpus'))) {
  corpusPath = join(mkdtempSync(join(tmpdir(), 'msgevents-bench-')), 'corpus.ndjson');
  execFileSync(join(args.native, 'make_corpus'), [corpusPath, '100000']);
}
const { createValidator } = await import(pathToFileURL(join(args.package, 'src/index.js')).href);
const v = await createValidator();
let bytes;
if (corpusPath) {
  bytes = readFileSync(corpusPath);
} else {
  // No native build: a deterministic corpus from the catalog's examples, every type, ids made
  // unique per copy, every tenth event broken (its event_id).
  const examples = v.catalog.events.flatMap((e) => e.examples);
  const lines = [];
  for (let i = 0; i < 100000; ++i) {
    const e = structuredClone(examples[i % examples.length]);
    const copy = Math.floor(i / examples.length);
    e.event_id = i % 10 === 9 ? `broken-${i}` : `${e.event_id.slice(0, 24)}${i.toString(16).padStart(12, '0')}`;
    e.aggregate_id = `${e.aggregate_id}_${copy}`;
    lines.push(JSON.stringify(e));
  }
  bytes = Buffer.from(`${lines.join('\n')}\n`);
  corpusPath = join(mkdtempSync(join(tmpdir(), 'msgevents-bench-')), 'corpus.ndjson');
  writeFileSync(corpusPath, bytes);
}
const events = bytes.reduce((n, b) => n + (b === 10), 0);
console.log(`\n## Throughput on ${fmt(events)} events, ${(bytes.length / 1e6).toFixed(1)} MB of NDJSON (best of ${args.rounds})`);

const rows = [];
let first = null;
let wasmBest = Infinity;
let report;
const nativeBench = join(args.native, 'validate_bench');
let nativeBest = Infinity;
for (let round = 0; round < args.rounds; ++round) {
  // Interleaved round by round, so load from other work on the machine hits both sides alike.
  const t = performance.now();
  report = v.validate(bytes, { now: NOW });
  const seconds = (performance.now() - t) / 1000;
  if (first === null) first = seconds;
  wasmBest = Math.min(wasmBest, seconds);
  if (existsSync(nativeBench)) {
    const out = JSON.parse(execFileSync(nativeBench, ['--json', corpusPath], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    nativeBest = Math.min(nativeBest, out.validate.seconds);
  }
}
const row = (side, s) => `| ${side} | ${fmt(events / s)} | ${(bytes.length / 1e6 / s).toFixed(1)} |`;
rows.push('| side | events/s | MB/s |', '| --- | ---: | ---: |');
if (Number.isFinite(nativeBest)) rows.push(row('native C++ (validate_bench)', nativeBest));
rows.push(row(`WASM in Node ${process.versions.node}, v.validate(bytes)`, wasmBest));
rows.push(row('WASM in Node, first call (cold)', first));
console.log(rows.join('\n'));
if (Number.isFinite(nativeBest)) console.log(`WASM / native: ${(nativeBest / wasmBest).toFixed(2)} (target >= 0.5)`);
console.log(`findings: ${fmt(report.findings.length)}; summary ${JSON.stringify(report.summary)}`);
console.log(`WebAssembly memory after the runs: ${(v.memoryBytes / 1048576).toFixed(0)} MiB`);
