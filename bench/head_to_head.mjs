// The head-to-head benchmark: two corpora, one run, every side on the same bytes.
//
//   node bench/head_to_head.mjs --corpus NAME=FILE [--corpus NAME=FILE ...] [--bench PATH] [--cli PATH]
//                               [--package DIR] [--rounds N] [--no-browser] [--readme FILE]
//
// Sides, all on the same NDJSON bytes in memory, one thread:
//   - JSON.parse alone (the JavaScript limit: no validation at all);
//   - JSON.parse + ajv 2020 (ajv-formats) with per-type schemas (`v.jsonSchema(name)`, one compiled
//     validator per event type, chosen by event_name: what a JS user who wants speed would do),
//     allErrors and first error; and ajv with the bundle schema (an allOf of 21 if/then
//     branches), labelled as such;
//   - JSON.parse + @exodus/schemasafe with the same per-type schemas (its default: first error);
//   - msgevents WASM in Node: one `validate(bytes)` call, and a streaming session fed 1 MiB chunks;
//   - msgevents WASM in headless Chromium (the package in a module worker): one call, and the pool
//     the validator page runs for a large input (web/src/batch_pool.mjs), sized as the page sizes
//     it (bench/browser/index.html), the two in interleaved rounds in the worker;
//   - native (bench/validate_bench --json): msgevents full validation, RapidJSON SAX in situ with
//     a null handler (the native limit) and RapidJSON DOM parse; full validation with 2 worker
//     threads (Options::jobs);
//   - the native CLI end to end (reads the file, writes the JSON report to /dev/null) with
//     `--jobs 1` and `--jobs 2`, in interleaved rounds of their own.
// The Node sides run in interleaved rounds (each round runs every side once, so a change in the
// machine's load hits them alike) and the median of each side counts; ratios are to the fastest
// JavaScript validator of the same run. `scripts/bench.sh` (npm run bench) builds everything,
// generates both corpora and runs this; --readme rewrites the head-to-head section of that file.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { validator as schemasafeValidator } from '@exodus/schemasafe';

import { serveBench } from './bench_server.mjs';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

const repoRoot = resolve(import.meta.dirname, '..');
const NOW = new Date('2027-01-01T00:00:00Z'); // validate_bench's fixed clock (after every catalog example): every side checks the same

function parseArgs(argv) {
  const args = {
    corpora: [],
    bench: join(repoRoot, 'build/native/bench/validate_bench'),
    cli: join(repoRoot, 'build/native/msgevents'),
    package: join(repoRoot, 'npm'),
    rounds: 15,  // a side takes a fraction of a second: 5 rounds gave medians 25% apart run to run on a shared machine
    browser: true,
    readme: null,
  };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--corpus') {
      const [name, file] = argv[++i].split('=');
      args.corpora.push({ name, file });
    }
    else if (a === '--bench') args.bench = argv[++i];
    else if (a === '--cli') args.cli = argv[++i];
    else if (a === '--package') args.package = argv[++i];
    else if (a === '--rounds') args.rounds = Number(argv[++i]);
    else if (a === '--no-browser') args.browser = false;
    else if (a === '--readme') args.readme = argv[++i];
    else throw new Error(`head_to_head: unknown argument ${a}`);
  }
  if (args.corpora.length === 0) throw new Error('usage: node bench/head_to_head.mjs --corpus NAME=FILE [options]');
  return args;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Events msgevents flags: distinct event_index with an error or critical finding. */
function flaggedByReport(report) {
  const flagged = new Set();
  for (const f of report.findings) if ((f.severity === 'error' || f.severity === 'critical') && f.event_index >= 0) flagged.add(f.event_index);
  return flagged.size;
}

/** The native sides, from one validate_bench run (its own interleaved rounds and medians). */
function nativeSides(args, corpusPath) {
  const out = JSON.parse(execFileSync(args.bench, ['--json', '--rounds', String(args.rounds), corpusPath], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const report = JSON.parse(spawnSync(args.cli, ['validate', '--format', 'json', '--now', NOW.toISOString(), corpusPath],
    { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout);
  return { out, report, flagged: flaggedByReport(report) };
}

/** The native CLI with --jobs 1 and --jobs 2, in interleaved rounds: { 1: seconds, 2: seconds }. */
function cliJobsSides(args, corpusPath) {
  const seconds = { 1: [], 2: [] };
  for (let round = 0; round < args.rounds; ++round) {
    for (const jobs of [1, 2]) {
      const start = performance.now();
      const run = spawnSync(args.cli, ['validate', '--format', 'json', '--now', NOW.toISOString(), '--jobs', String(jobs), corpusPath],
        { stdio: ['ignore', 'ignore', 'inherit'] });
      if (run.status !== 0 && run.status !== 1) throw new Error(`msgevents validate --jobs ${jobs} exited ${run.status}`);
      seconds[jobs].push((performance.now() - start) / 1000);
    }
  }
  return { 1: median(seconds[1]), 2: median(seconds[2]) };
}

/** The WASM sides: one call on the buffer, and a session fed 1 MiB chunks. */
async function wasmRunners(args, bytes) {
  const { createValidator } = await import(pathToFileURL(join(args.package, 'src/index.js')).href);
  const validator = await createValidator();
  validator.validate(bytes.subarray(0, 1 << 20), { now: NOW }); // warm up the JIT and the heap
  const oneCall = () => flaggedByReport(validator.validate(bytes, { now: NOW }));
  const session = () => {
    const s = validator.createSession({ now: NOW });
    const findings = [];
    for (let at = 0; at < bytes.length; at += 1 << 20) for (const f of s.push(bytes.subarray(at, at + (1 << 20)))) findings.push(f);
    const rest = s.finish();
    return flaggedByReport({ findings: findings.concat(rest.findings) });
  };
  return { validator, oneCall, session };
}

/** JSON.parse of each line, then `check(event)` (true when valid); counts the events it rejects. */
function perLine(bytes, check) {
  return () => {
    const text = bytes.toString('utf8'); // the same bytes every side starts from
    let flagged = 0;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (end > start) {
        let ok;
        try {
          ok = check(JSON.parse(text.slice(start, end)));
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

function newAjv(allErrors) {
  const ajv = new Ajv2020({ allErrors, strict: true });
  addFormats(ajv);
  ajv.addVocabulary(['x-privacy', 'x-aggregate', 'x-schema-version']);
  return ajv;
}

/** One compiled validator per event type, chosen by event_name; an unknown name is rejected. */
function dispatch(validators) {
  return (event) => {
    const validate = event !== null && typeof event === 'object' ? validators.get(event.event_name) : undefined;
    return validate ? validate(event) : false;
  };
}

function ajvPerType(schemas, allErrors) {
  const ajv = newAjv(allErrors);
  return dispatch(new Map(Object.entries(schemas).map(([name, schema]) => [name, ajv.compile(schema)])));
}

function schemasafePerType(schemas) {
  // Its default mode, first error, no error objects: the fastest a user would pick. Our schemas'
  // x- annotations are allowed; formats are its own (date-time, email: as strict as ajv-formats).
  return dispatch(new Map(Object.entries(schemas).map(([name, schema]) =>
    [name, schemasafeValidator(schema, { mode: 'default', allowUnusedKeywords: true })])));
}

/** Runs the sides in turn, round after round; the median of each side's rounds counts. */
function interleaved(rounds, sides) {
  const times = sides.map(() => []);
  const flagged = sides.map(() => 0);
  for (let round = 0; round < rounds; ++round) {
    sides.forEach((side, i) => {
      const start = performance.now();
      flagged[i] = side.run();
      times[i].push((performance.now() - start) / 1000);
    });
  }
  return sides.map((side, i) => ({ side: side.name, js: side.js, msgevents: side.msgevents, seconds: median(times[i]), flagged: flagged[i] }));
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

async function browserSide(args, corpusPath) {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) return { skipped: `no Chromium at ${executablePath}` };
  const { chromium } = await import('playwright-core');
  const server = await serveBench({ packageDir: args.package, corpusPath });
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
    return result;
  } finally {
    await browser.close();
    server.close();
  }
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Every side on one corpus; returns the rows and the report text for it. */
async function runCorpus(args, corpus, schemas, bundle) {
  const corpusPath = resolve(corpus.file);
  const bytes = readFileSync(corpusPath);
  let events = 0;
  for (let i = 0; i < bytes.length; ++i) if (bytes[i] === 10) ++events;
  const megabytes = bytes.length / 1e6;
  const log = (s) => process.stderr.write(`head_to_head [${corpus.name}]: ${s}\n`);
  log(`${corpusPath}: ${fmt(events)} events, ${fmt(megabytes, 1)} MB; ${args.rounds} rounds per side`);
  const loadAtStart = loadavg()[0];

  log('native (validate_bench) ...');
  const native = nativeSides(args, corpusPath);
  log('native CLI, --jobs 1 and 2 ...');
  const cliJobs = cliJobsSides(args, corpusPath);
  log('Node sides, interleaved ...');
  const wasm = await wasmRunners(args, bytes);
  const rows = interleaved(args.rounds, [
    { name: 'JSON.parse alone (no validation: the JavaScript limit)', run: perLine(bytes, () => true) },
    { name: 'JSON.parse + @exodus/schemasafe, per-type schemas', js: true, run: perLine(bytes, schemasafePerType(schemas)) },
    { name: 'JSON.parse + ajv, per-type schemas, first error', js: true, run: perLine(bytes, ajvPerType(schemas, false)) },
    { name: 'JSON.parse + ajv, per-type schemas, allErrors', js: true, run: perLine(bytes, ajvPerType(schemas, true)) },
    { name: 'JSON.parse + ajv, bundle schema (allOf of if/then), allErrors', run: perLine(bytes, newAjv(true).compile(bundle)) },
    { name: `**msgevents, WASM in Node ${process.versions.node}, \`v.validate(bytes)\`**`, msgevents: true, run: wasm.oneCall },
    { name: 'msgevents, WASM in Node, session in 1 MiB chunks', msgevents: true, run: wasm.session },
  ]);
  if (args.browser) {
    log('WASM in headless Chromium (worker) ...');
    try {
      const browser = await browserSide(args, corpusPath);
      if (browser.skipped) log(`browser skipped: ${browser.skipped}`);
      else {
        const side = (name) => browser.sides.find((s) => s.side === name);
        const pool = side('pool');
        log(`Chromium: ${browser.cores} cores (navigator.hardwareConcurrency); the pool started in ${fmt(pool.pool_start * 1000)} ms (not timed)`);
        rows.push({ side: 'msgevents, WASM in headless Chromium (module worker), one call', seconds: side('one_call').seconds, flagged: side('one_call').flagged });
        // `N+`: N sub-workers, and the coordinating worker checks batches too (bench/browser/worker.mjs).
        const threads = parseInt(pool.pool_name, 10) + (pool.pool_name.endsWith('+') ? 1 : 0);
        rows.push({ side: `msgevents, WASM in headless Chromium, pool: ${threads} workers checking (the page's large-input path, sized as on this machine)`,
          seconds: pool.seconds, flagged: pool.flagged, pool: threads, oneCall: side('one_call').seconds });
      }
    } catch (error) {
      log(`browser failed: ${error.message}`);
      rows.push({ side: 'msgevents, WASM in headless Chromium (module worker)', failed: error.message });
    }
  }
  const n = native.out;
  rows.push({ side: 'msgevents, native C++ full validation (`validate_bench`)', seconds: n.validate.seconds, flagged: native.flagged });
  rows.push({ side: 'msgevents, native C++ full validation, 2 worker threads (`Options::jobs`)', seconds: n.validate_jobs_2.seconds, flagged: native.flagged });
  rows.push({ side: 'msgevents native CLI, `validate --format json --jobs 1` (file to report)', seconds: cliJobs[1], flagged: native.flagged });
  rows.push({ side: 'msgevents native CLI, `validate --format json --jobs 2`', seconds: cliJobs[2], flagged: native.flagged });
  rows.push({ side: 'RapidJSON SAX in situ, null handler (the native limit)', seconds: n.sax_in_situ.seconds, flagged: null });
  rows.push({ side: 'RapidJSON DOM parse only', seconds: n.dom_parse.seconds, flagged: null });

  const fastestJs = rows.filter((r) => r.js).reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  const baseline = events / fastestJs.seconds;
  const header = '| side | events/s | MB/s | × fastest JS validator | events flagged |\n| --- | ---: | ---: | ---: | ---: |\n';
  const body = rows.map((r) => {
    if (r.failed) return `| ${r.side} | failed: ${r.failed} | | | |`;
    const eps = events / r.seconds;
    return `| ${r.side} | ${fmt(eps)} | ${fmt(megabytes / r.seconds, 1)} | ${fmt(eps / baseline, 2)} | ${r.flagged === null ? '' : fmt(r.flagged)} |`;
  }).join('\n');
  const wasmRow = rows.find((r) => r.msgevents);
  const poolRow = rows.find((r) => r.pool);
  const pagePool = poolRow
    ? ` In Chromium, the page's pool of ${poolRow.pool} workers against one call in one worker: ${fmt(poolRow.oneCall / poolRow.seconds, 2)}×.`
    : '';
  const sessionRow = rows.filter((r) => r.msgevents)[1];
  const differences = verdictDifferences(bytes, bundle, native.report);
  const caughtOnlyByMsgevents = differences.onlyMsgevents.map(([code, k]) => `\`${code}\` ${fmt(k)}`).join(', ');
  const text = [
    `### ${corpus.name} corpus`,
    '',
    `${fmt(events)} events, ${fmt(megabytes, 1)} MB of NDJSON (${corpus.description}), in memory. Median of ${args.rounds} interleaved`,
    `rounds per side, one thread; load average ${fmt(loadAtStart, 1)} at the start and ${fmt(loadavg()[0], 1)} at the end.`,
    '',
    `${header}${body}`,
    '',
    `Fastest JavaScript validator: ${fastestJs.side.replace(/\*\*/g, '')}. msgevents WASM in Node against it: ` +
      `${fmt(events / wasmRow.seconds / baseline, 2)}× in one call, ${fmt(events / sessionRow.seconds / baseline, 2)}× as a session ` +
      '(target ≥ 1.5×, goal 2×). Native full validation against RapidJSON SAX: ' +
      `${fmt(n.sax_in_situ.seconds / n.validate.seconds, 2)} (target ≥ 0.33 on the clean corpus). ` +
      `Two worker threads against one: ${fmt(n.validate.seconds / n.validate_jobs_2.seconds, 2)}× in the library, ` +
      `${fmt(cliJobs[1] / cliJobs[2], 2)}× for the CLI end to end (target ≥ 1.7× on 2 cores; the machine's other load takes from the second core first).` +
      pagePool,
    '',
    `Event by event: ajv rejects ${fmt(differences.onlyAjv)} events that msgevents accepts; msgevents rejects events that ajv`,
    `accepts for ${caughtOnlyByMsgevents || 'no rule'} (events per rule code).`,
  ].join('\n');
  return text;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const catalog = JSON.parse(execFileSync(args.cli, ['catalog'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const schemas = {};
  for (const event of catalog.events) {
    schemas[event.name] = JSON.parse(execFileSync(args.cli, ['schema', event.name], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  }
  const bundle = JSON.parse(execFileSync(args.cli, ['schema', '--compact'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const descriptions = {
    clean: 'realistic streams: aggregates living through several lifecycle events, unique ids and idempotency keys, one redelivery in 200; `make_corpus --clean`',
    broken: 'every event type with fresh ids, about 10% broken in ten ways; `make_corpus`',
  };
  const sections = [];
  for (const corpus of args.corpora) {
    sections.push(await runCorpus(args, { ...corpus, description: descriptions[corpus.name] ?? corpus.file }, schemas, bundle));
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const report = [
    `One run, ${cpu}, ${cpus().length} cores (other work on the machine slows every side; compare sides within one table).`,
    '',
    ...sections.flatMap((s) => [s, '']),
    'What each side checks:',
    '- **msgevents** (native, Node, Chromium: one C++ core): every rule of the registry (`msgevents checklist`): the envelope',
    '  (UUID/ULID ids and their canonical case, RFC 3339 UTC with real calendar dates and leap seconds, version as an integer),',
    `  every payload field of the ${catalog.events.length} event types (types, enums, lengths, ranges, formats), cross-field consistency (aggregate_type vs event_name,`,
    '  aggregate_id vs the payload id, changed_fields naming real attributes), privacy (credential-like field names, contact data',
    '  in identifiers and free text), duplicate keys, invalid UTF-8, nesting and size limits, and the stream checks (redeliveries,',
    '  id conflicts, version order, lifecycle transitions per aggregate); every finding carries a rule code, JSON Pointer, line',
    '  and column. Native times `msgevents::validate()` on the buffer (the report stays in C++); Node and Chromium time',
    '  `validate(bytes)` of the npm package, which includes writing the JSON report and `JSON.parse` of it; the session side',
    '  pushes 1 MiB chunks and collects the findings. In Chromium, one call and the page\'s pool run in interleaved rounds in one',
    '  module worker: the pool\'s session frames 64 KiB pushes into batches, sub-workers (one per core but one, at least one) and',
    '  the worker itself run the per-event checks, and the worker merges the results in order and runs the stream checks (the',
    '  same findings, checked; the pool\'s start-up,',
    '  each sub-worker loading the module, is not timed).',
    '- **JSON.parse + ajv / schemasafe**: the exported per-type schemas (`msgevents schema EVENT`, draft 2020-12), one compiled',
    '  validator per event type picked by `event_name`: types, required fields, enums, lengths, ranges, the UUID/ULID, E.164,',
    '  identifier and UTC patterns, date-time and email formats, one event at a time. They cannot see cross-field rules,',
    '  privacy, duplicate keys (JSON.parse keeps the last), stream order or lifecycles, and their errors have no line or column.',
    '  "events flagged" counts events with at least one error on each side; the difference is what JSON Schema cannot express.',
  ].join('\n');
  process.stdout.write(`${report}\n`);

  if (args.readme) {
    const begin = '<!-- head-to-head:begin (written by bench/head_to_head.mjs) -->';
    const end = '<!-- head-to-head:end -->';
    const section = `${begin}\n## Head to head: msgevents against the fastest JavaScript validators\n\nCommand: \`npm run bench\` (\`scripts/bench.sh\`: builds the native tools and the npm package, generates both corpora, runs \`bench/head_to_head.mjs\`).\n\n${report}\n${end}`;
    const existing = existsSync(args.readme) ? readFileSync(args.readme, 'utf8') : '# Benchmarks\n';
    const updated = existing.includes(begin)
      ? existing.slice(0, existing.indexOf(begin)) + section + existing.slice(existing.indexOf(end) + end.length)
      : `${existing.trimEnd()}\n\n${section}\n`;
    writeFileSync(args.readme, updated);
    process.stderr.write(`head_to_head: wrote the tables into ${args.readme}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`head_to_head: ${error.stack ?? error}\n`);
  process.exit(1);
});
