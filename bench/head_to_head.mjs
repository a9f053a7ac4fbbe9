// The head-to-head benchmark: one corpus, one run, every side.
//
//   node bench/head_to_head.mjs --corpus FILE [--bench PATH] [--cli PATH] [--package DIR]
//                               [--rounds N] [--no-browser] [--readme FILE]
//
// Sides, all on the same NDJSON bytes in memory, best of N rounds each, single thread:
//   - msgevents native: bench/validate_bench --json (the C++ core's validate() on the buffer);
//   - msgevents WASM in Node: the npm package's validate(bytes) (one call, NDJSON in, report out);
//   - JSON.parse + ajv: ajv (draft 2020-12, ajv-formats) compiled once from `msgevents schema`
//     (the bundle of every event type), run on each line; with allErrors (every problem, as
//     msgevents reports them) and without (stops at an event's first problem);
//   - msgevents WASM in headless Chromium: the same package in a module Web Worker of a page
//     served from 127.0.0.1, the corpus fetched into an ArrayBuffer.
// `scripts/bench.sh` (npm run bench) builds everything and runs this. --readme rewrites the
// head-to-head section of that Markdown file with the table this run printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

const repoRoot = resolve(import.meta.dirname, '..');
const NOW = new Date('2027-01-01T00:00:00Z'); // validate_bench's fixed clock (after every catalog example): every side checks the same

function parseArgs(argv) {
  const args = {
    corpus: null,
    bench: join(repoRoot, 'build/native/bench/validate_bench'),
    cli: join(repoRoot, 'build/native/msgevents'),
    package: join(repoRoot, 'npm'),
    rounds: 5,
    browser: true,
    readme: null,
  };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--corpus') args.corpus = argv[++i];
    else if (a === '--bench') args.bench = argv[++i];
    else if (a === '--cli') args.cli = argv[++i];
    else if (a === '--package') args.package = argv[++i];
    else if (a === '--rounds') args.rounds = Number(argv[++i]);
    else if (a === '--no-browser') args.browser = false;
    else if (a === '--readme') args.readme = argv[++i];
    else throw new Error(`head_to_head: unknown argument ${a}`);
  }
  if (!args.corpus) throw new Error('usage: node bench/head_to_head.mjs --corpus FILE [options]');
  return args;
}

function best(rounds, fn) {
  let bestSeconds = Infinity;
  let result;
  for (let i = 0; i < rounds; ++i) {
    const start = performance.now();
    result = fn();
    bestSeconds = Math.min(bestSeconds, (performance.now() - start) / 1000);
  }
  return { seconds: bestSeconds, result };
}

/** Events msgevents flags: distinct event_index with an error or critical finding. */
function flaggedByReport(report) {
  const flagged = new Set();
  for (const f of report.findings) if ((f.severity === 'error' || f.severity === 'critical') && f.event_index >= 0) flagged.add(f.event_index);
  return flagged.size;
}

function nativeSide(args, corpusPath, events) {
  if (existsSync(args.bench)) {
    const out = JSON.parse(execFileSync(args.bench, ['--json', corpusPath], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    // The same verdicts for the "events flagged" column (the bench binary prints figures only).
    const report = JSON.parse(spawnSync(args.cli, ['validate', '--format', 'json', '--now', NOW.toISOString(), corpusPath],
      { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout);
    return { seconds: out.validate.seconds, flagged: flaggedByReport(report), report };
  }
  // Without the bench binary: the CLI end to end (process start, file read, JSON report written).
  const { seconds, result } = best(args.rounds, () => spawnSync(args.cli, ['validate', '--format', 'json', '--now', NOW.toISOString(), corpusPath],
    { encoding: 'utf8', maxBuffer: 1 << 30 }));
  const report = JSON.parse(result.stdout);
  return { seconds, flagged: flaggedByReport(report), report };
}

/** The WASM side: one call per round, NDJSON bytes in, the report out. */
async function wasmRunner(args, bytes) {
  const { createValidator } = await import(pathToFileURL(join(args.package, 'src/index.js')).href);
  const validator = await createValidator();
  validator.validate(bytes.subarray(0, 1 << 20), { now: NOW }); // warm up the JIT and the heap
  return { validator, run: () => flaggedByReport(validator.validate(bytes, { now: NOW })) };
}

/** The ajv side: the bundle compiled once, outside the timing; JSON.parse and validate per line. */
function ajvRunner(bytes, schema, allErrors) {
  const ajv = new Ajv2020({ allErrors, strict: true });
  addFormats(ajv);
  ajv.addVocabulary(['x-privacy', 'x-aggregate', 'x-schema-version']);
  const validate = ajv.compile(schema);
  return () => {
    const text = bytes.toString('utf8'); // the same bytes every side starts from
    let flagged = 0;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (end > start) {
        let ok = true;
        try {
          ok = validate(JSON.parse(text.slice(start, end)));
        } catch {
          ok = false;
        }
        if (!ok) ++flagged;
      }
      start = end + 1;
    }
    return flagged;
  };
}

/** Runs the sides in turn, round after round, so a change in the machine's load hits them alike. */
function interleaved(rounds, sides) {
  const results = sides.map(() => ({ seconds: Infinity, flagged: 0 }));
  for (let round = 0; round < rounds; ++round) {
    sides.forEach((run, i) => {
      const start = performance.now();
      results[i].flagged = run();
      results[i].seconds = Math.min(results[i].seconds, (performance.now() - start) / 1000);
    });
  }
  return results;
}

/**
 * Where the two verdicts differ, event by event (outside the timing): the rule codes msgevents
 * reports on events ajv accepts, and the events ajv rejects that msgevents accepts (should be none).
 */
function verdictDifferences(bytes, schema, report) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addVocabulary(['x-privacy', 'x-aggregate', 'x-schema-version']);
  const validate = ajv.compile(schema);
  const codes = new Map();
  for (const f of report.findings) {
    if ((f.severity !== 'error' && f.severity !== 'critical') || f.event_index < 0) continue;
    if (!codes.has(f.event_index)) codes.set(f.event_index, new Set());
    codes.get(f.event_index).add(f.code);
  }
  const onlyMsgevents = new Map();
  let onlyAjv = 0;
  bytes.toString('utf8').split('\n').filter((line) => line.length > 0).forEach((line, index) => {
    let valid;
    try {
      valid = validate(JSON.parse(line));
    } catch {
      valid = false;
    }
    if (!valid && !codes.has(index)) ++onlyAjv;
    if (valid && codes.has(index)) for (const code of codes.get(index)) onlyMsgevents.set(code, (onlyMsgevents.get(code) ?? 0) + 1);
  });
  return { onlyAjv, onlyMsgevents: [...onlyMsgevents.entries()].sort((a, b) => b[1] - a[1]) };
}

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.ndjson': 'application/x-ndjson' };

/** Serves the package under /npm/, the worker page under /bench/ and the corpus, from 127.0.0.1. */
function serve(args, corpusPath) {
  const roots = { '/npm/': resolve(args.package), '/bench/': join(repoRoot, 'bench/browser') };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = null;
    if (url.pathname === '/corpus.ndjson') file = corpusPath;
    for (const [prefix, dir] of Object.entries(roots)) {
      if (url.pathname.startsWith(prefix)) {
        const candidate = resolve(dir, `.${url.pathname.slice(prefix.length - 1)}`);
        if (candidate.startsWith(dir)) file = candidate;
      }
    }
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

async function browserSide(args, corpusPath) {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) return { skipped: `no Chromium at ${executablePath}` };
  const { chromium } = await import('playwright-core');
  const server = await serve(args, corpusPath);
  const browser = await chromium.launch({
    executablePath,
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/bench/index.html?rounds=${args.rounds}&now=${NOW.getTime()}`);
    await page.waitForFunction(() => window.benchResult !== undefined, null, { timeout: 600000 });
    const result = await page.evaluate(() => window.benchResult);
    if (result.error) throw new Error(`browser worker: ${result.error}`);
    if (errors.length) throw new Error(`browser page: ${errors.join('; ')}`);
    return { seconds: result.seconds, flagged: result.flagged, userAgent: result.userAgent };
  } finally {
    await browser.close();
    server.close();
  }
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const corpusPath = resolve(args.corpus);
  const bytes = readFileSync(corpusPath);
  let events = 0;
  for (let i = 0; i < bytes.length; ++i) if (bytes[i] === 10) ++events;
  const megabytes = bytes.length / 1e6;
  const schema = JSON.parse(execFileSync(args.cli, ['schema', '--compact'], { encoding: 'utf8', maxBuffer: 1 << 26 }));

  const loadAtStart = loadavg()[0];
  const rows = [];
  const log = (s) => process.stderr.write(`head_to_head: ${s}\n`);
  log(`corpus ${corpusPath}: ${fmt(events)} events, ${fmt(megabytes, 1)} MB; ${args.rounds} rounds per side`);

  log('msgevents native ...');
  const native = nativeSide(args, corpusPath, events);
  rows.push({ side: 'msgevents, native C++ (`validate_bench`)', ...native });
  log('msgevents WASM in Node and JSON.parse + ajv, interleaved ...');
  const wasmSide = await wasmRunner(args, bytes);
  const [wasm, ajvAll, ajvFirst] = interleaved(args.rounds, [wasmSide.run, ajvRunner(bytes, schema, true), ajvRunner(bytes, schema, false)]);
  rows.push({ side: `msgevents, WASM in Node ${process.versions.node} (\`v.validate(bytes)\`)`, ...wasm });
  rows.push({ side: 'JSON.parse + ajv, allErrors (baseline)', ...ajvAll });
  rows.push({ side: 'JSON.parse + ajv, first error only', ...ajvFirst });
  if (args.browser) {
    log('msgevents WASM in headless Chromium (worker) ...');
    try {
      const browser = await browserSide(args, corpusPath);
      if (browser.skipped) log(`browser skipped: ${browser.skipped}`);
      else rows.push({ side: 'msgevents, WASM in headless Chromium (module worker)', ...browser });
    } catch (error) {
      log(`browser failed: ${error.message}`);
      rows.push({ side: 'msgevents, WASM in headless Chromium (module worker)', failed: error.message });
    }
  }

  const rules = wasmSide.validator.rules().length;
  const differences = verdictDifferences(bytes, schema, native.report);
  const caughtOnlyByMsgevents = differences.onlyMsgevents.map(([code, n]) => `\`${code}\` ${fmt(n)}`).join(', ');
  const baseline = events / ajvAll.seconds;
  const header = '| side | events/s | MB/s | × ajv | events flagged |\n| --- | ---: | ---: | ---: | ---: |\n';
  const body = rows.map((r) => {
    if (r.failed) return `| ${r.side} | failed: ${r.failed} | | | |`;
    const eps = events / r.seconds;
    return `| ${r.side} | ${fmt(eps)} | ${fmt(megabytes / r.seconds, 1)} | ${fmt(eps / baseline, 2)} | ${fmt(r.flagged)} |`;
  }).join('\n');
  const wasmRatio = events / wasm.seconds / baseline;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const table = `${header}${body}\n`;
  const report = [
    `Corpus: ${fmt(events)} events (every event type, about 10% broken; \`make_corpus\`), ${fmt(megabytes, 1)} MB of NDJSON, in memory.`,
    `Best of ${args.rounds} rounds per side, one thread, one run, ${cpu}, ${cpus().length} cores; load average ${fmt(loadAtStart, 1)} at the`,
    'start and ' + fmt(loadavg()[0], 1) + ' at the end (other work on the machine slows every side; compare sides within one run).',
    '',
    table,
    `WASM in Node against ajv (allErrors): ${fmt(wasmRatio, 2)}× (target ≥ 1.5×).`,
    '',
    'What each side checks:',
    `- **msgevents** (native, Node, Chromium: one C++ core): all ${rules} rules of the registry (\`msgevents checklist\`): the envelope`,
    '  (UUID/ULID ids and their canonical case, RFC 3339 UTC with real calendar dates and leap seconds, version as an integer),',
    '  every payload field (types, enums, lengths, ranges, formats), cross-field consistency (aggregate_type vs event_name,',
    '  aggregate_id vs the payload id, changed_fields naming real attributes), privacy (credential-like field names, contact data',
    '  in identifiers and free text), duplicate keys, invalid UTF-8, nesting and size limits, and the stream checks (redeliveries,',
    '  id conflicts, version order, lifecycle transitions per aggregate); every finding carries a rule code, JSON Pointer, line',
    '  and column. Native times `msgevents::validate()` on the buffer (the report stays in C++); Node and Chromium time one',
    '  `validate(bytes)` call of the npm package, which includes writing the JSON report and `JSON.parse` of it. Chromium runs',
    '  the package in a module Web Worker of a page served from 127.0.0.1 (`bench/browser/`), the corpus fetched as bytes.',
    '- **JSON.parse + ajv**: the exported bundle schema (`msgevents schema`, draft 2020-12, ajv-formats): types, required fields,',
    '  enums, lengths, ranges, the UUID/ULID, E.164, identifier and UTC patterns, date-time and email formats, one event at a time.',
    '  It cannot see cross-field rules, privacy, duplicate keys (JSON.parse keeps the last), stream order or lifecycles, and its',
    '  errors have no line or column. "events flagged" counts events with at least one error on each side; the difference is',
    '  what JSON Schema cannot express.',
    '',
    `Event by event: ajv rejects ${fmt(differences.onlyAjv)} events that msgevents accepts; msgevents rejects events that ajv`,
    `accepts for ${caughtOnlyByMsgevents || 'no rule'} (events per rule code).`,
  ].join('\n');
  process.stdout.write(`${report}\n`);

  if (args.readme) {
    const begin = '<!-- head-to-head:begin (written by bench/head_to_head.mjs) -->';
    const end = '<!-- head-to-head:end -->';
    const section = `${begin}\n## Head to head: msgevents against JSON.parse + ajv\n\nCommand: \`npm run bench\` (\`scripts/bench.sh\`: builds the native tools and the npm package, generates the corpus, runs \`bench/head_to_head.mjs\`).\n\n${report}\n${end}`;
    const existing = existsSync(args.readme) ? readFileSync(args.readme, 'utf8') : '# Benchmarks\n';
    const updated = existing.includes(begin)
      ? existing.slice(0, existing.indexOf(begin)) + section + existing.slice(existing.indexOf(end) + end.length)
      : `${existing.trimEnd()}\n\n${section}\n`;
    writeFileSync(args.readme, updated);
    log(`wrote the table into ${args.readme}`);
  }
}

main().catch((error) => {
  process.stderr.write(`head_to_head: ${error.stack ?? error}\n`);
  process.exit(1);
});
