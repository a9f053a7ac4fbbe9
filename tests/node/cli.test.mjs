// The npm CLI (`npx msgevents`, the installed bin) keeps the native CLI's contract: flags, output
// formats, exit codes. When the native build is there (build/native/msgevents), every case is also
// compared with it byte for byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPackage, nativeCli, npmCli, packageDir } from './helpers/package.mjs';
import { example, examples, ndjson, positionOf } from './helpers/events.mjs';

let v;
let dir;
let good;
let bad;
let big;
let badText;
let key;
let withheldFile;
let withheldText;
let hostile;
let incomplete;

// Both CLIs read SOURCE_DATE_EPOCH instead of the system clock, so their reports (which carry the
// run's times) can be compared byte for byte: 2030-01-01T00:00:00Z.
const EPOCH = '1893456000';
const env = { ...process.env, SOURCE_DATE_EPOCH: EPOCH };
function run(command, args, input) {
  const r = spawnSync(command, args, { input, encoding: 'utf8', maxBuffer: 1 << 28, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const RUN_LINE = /^run: msgevents \d+\.\d+\.\d+, catalog \d+\.\d+\.\d+, profile (internal|public), strict (on|off), clock (system|--now|SOURCE_DATE_EPOCH) \S+, \d+ inputs?, \S+Z to \S+Z$/;
const npm = (args, input) => run(npmCli(), args, input);

before(async () => {
  const { createValidator } = await importPackage();
  v = await createValidator();
  dir = mkdtempSync(join(tmpdir(), 'msgevents-cli-'));
  good = join(dir, 'good.ndjson');
  writeFileSync(good, ndjson(examples(v).filter((e) => e.version === 1)));
  const events = [example(v, 'CustomerCreated'), example(v, 'ContactCreated')];
  events[1].event_id = 'not-a-uuid';
  badText = ndjson(events);
  bad = join(dir, 'bad "name".ndjson');
  writeFileSync(bad, badText);
  // Larger than the CLI's 1 MiB chunks, with a finding in each part.
  const lines = [];
  for (let i = 0; lines.join('\n').length < 3.5 * (1 << 20); ++i) {
    const e = example(v, 'CustomerCreated');
    e.aggregate_id = `cus_${i}`;
    e.payload.customer_id = `cus_${i}`;
    e.idempotency_key = `cus_${i}:1`;
    e.event_id = i % 997 === 5 ? `broken-${i}` : `${e.event_id.slice(0, 24)}${i.toString(16).padStart(12, '0')}`;
    lines.push(JSON.stringify(e));
  }
  // Redeliveries and an identity conflict thousands of events (many --jobs batches) apart.
  lines.splice(3000, 0, lines[0]);
  lines.push(lines[1].replace('"name":"', '"name":"Changed '), lines[2]);
  big = join(dir, 'big.ndjson');
  writeFileSync(big, `${lines.join('\n')}\n`);
  key = join(dir, 'key');
  writeFileSync(key, ' the key\n');
  // A good event, one redaction cannot read (its pii must never be written), a good one.
  const channel = example(v, 'ChannelMapped');
  const broken = JSON.stringify({ ...channel, payload: { ...channel.payload, address: '+447700900461' } }).slice(0, -1);
  withheldText = `${JSON.stringify(channel)}\n${broken}\n${JSON.stringify(channel)}\n`;
  withheldFile = join(dir, 'withheld.ndjson');
  writeFileSync(withheldFile, withheldText);
  // Control characters in a file name and in event data, which text output must not pass raw
  // to a terminal (a forged summary line, an escape sequence, a bidi override).
  hostile = join(dir, 'esc\x1b[31m "q"\u202e\n.ndjson');
  writeFileSync(hostile, `${JSON.stringify({ ...example(v, 'CustomerCreated'), event_name: 'X\u001b[2J\nbad.ndjson: 0 events, 0 critical' })}\n`);
  // A limit hit: an event with more findings than one event lists, and one over the size limit.
  const wide = example(v, 'CustomerCreated');
  for (let i = 0; i < 120; ++i) wide.payload[`extra_${i}`] = i;
  incomplete = join(dir, 'incomplete.ndjson');
  writeFileSync(incomplete, `${JSON.stringify(wide)}\n${JSON.stringify({ ...wide, pad: 'x'.repeat(5000) })}\n`);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('validate: text output, one line a finding and a summary; exit 1 on errors', () => {
  const r = npm(['validate', '--now', '2030-01-01T00:00:00Z', bad]);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const at = positionOf(badText, '"not-a-uuid"');
  assert.ok(lines.includes(`${bad}:2:${at.column}: error envelope.event_id.format ${v.validate(badText).findings[0].message}`), r.stdout);
  for (const line of lines.slice(0, -2)) assert.match(line, /^.+:\d+:\d+: (critical|error|warning|info) [a-z_.]+ .+$/);
  assert.match(lines.at(-2), new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 2 events, 0 critical, 1 error, 0 warnings, 0 info$`));
  assert.equal(lines.at(-1), 'run: msgevents 2.0.0, catalog 1.0.0, profile internal, strict off, clock --now 2030-01-01T00:00:00.000Z, 1 input, 2030-01-01T00:00:00.000Z to 2030-01-01T00:00:00.000Z');

  const ok = npm(['validate', good]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^.*good\.ndjson: \d+ events, 0 critical, 0 errors, 0 warnings, 0 info\nrun: [^\n]*\n$/);
  assert.match(ok.stdout.trimEnd().split('\n').at(-1), RUN_LINE);
});

test('validate --format json prints the report of the JS API; several files and stdin', () => {
  const r = npm(['validate', '--format', 'json', '--now', '2030-01-01T00:00:00Z', bad]);
  assert.equal(r.status, 1);
  const { run: meta, ...report } = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(JSON.parse(r.stdout)), ['findings', 'summary', 'aggregates', 'aggregates_omitted', 'run']);
  assert.deepEqual(report, { ...v.validate(badText, { now: '2030-01-01T00:00:00Z' }) });
  assert.deepEqual(meta, { tool: 'msgevents', version: v.version, catalog_version: v.catalog.catalog_version, profile: 'internal', strict: false,
    clock: '--now', now: '2030-01-01T00:00:00.000Z', inputs: [bad], started_at: '2030-01-01T00:00:00.000Z', ended_at: '2030-01-01T00:00:00.000Z' });

  const both = npm(['validate', '--format', 'json', '--profile', 'public', '--strict', good, '-'], badText);
  assert.equal(both.status, 1);
  const out = JSON.parse(both.stdout);
  assert.deepEqual(out.files.map((f) => f.file), [good, '<stdin>']);
  assert.equal(out.files[1].findings[0].code, 'envelope.event_id.format');
  assert.equal(out.summary.events, out.files[0].summary.events + out.files[1].summary.events);
  assert.deepEqual([out.run.profile, out.run.strict, out.run.clock, out.run.inputs], ['public', true, 'SOURCE_DATE_EPOCH', [good, '<stdin>']]);

  const text = npm(['validate', good, '-'], badText);
  assert.match(text.stdout, /\n<stdin>:2:\d+: error envelope\.event_id\.format /);
  assert.match(text.stdout, /\ntotal: \d+ events, 0 critical, 1 error, 0 warnings, 0 info\nrun: [^\n]*, 2 inputs, [^\n]*\n$/);
});

test('usage and I/O errors exit 2 with a message on stderr', () => {
  for (const args of [[], ['frobnicate'], ['validate'], ['validate', '--profile', 'everyone', good], ['validate', '--now', 'tomorrow', good],
    ['validate', '--format', 'yaml', good], ['validate', '--fail-on', 'never', good], ['validate', '--fail-on'], ['validate', '--site-url', 'ftp://x', good],
    ['validate', '--bogus', good], ['catalog', 'extra'], ['checklist', 'extra']]) {
    const r = npm(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, /usage: msgevents/, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
  const missing = npm(['validate', join(dir, 'missing.ndjson'), good]);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, `msgevents validate: ${join(dir, 'missing.ndjson')}: No such file or directory\n`);
  assert.match(missing.stdout, /good\.ndjson: \d+ events/, 'the other files are still validated');
  assert.equal(npm(['--help']).status, 0);
  assert.match(npm(['validate', '--help']).stdout, /^usage: msgevents validate/);
});

test('catalog and checklist print what the API gives', () => {
  const catalog = npm(['catalog']);
  assert.equal(catalog.status, 0);
  assert.equal(catalog.stdout, `${v.catalogJson()}\n`);
  assert.deepEqual(JSON.parse(catalog.stdout), v.catalog);
  const checklist = npm(['checklist']);
  assert.equal(checklist.status, 0);
  assert.equal(checklist.stdout, v.checklist());
});

test('a file larger than the read chunk gives the same findings as one call', () => {
  const r = npm(['validate', '--format', 'json', '--now', '2030-01-01T00:00:00Z', big]);
  assert.equal(r.status, 1, r.stderr);
  const { readFileSync } = process.getBuiltinModule('node:fs');
  const whole = v.validate(readFileSync(big), { now: '2030-01-01T00:00:00Z' });
  const got = JSON.parse(r.stdout);
  assert.ok(got.run.ended_at >= got.run.started_at);
  assert.ok(whole.findings.length >= 3, `${whole.findings.length} findings`);
  assert.deepEqual(got.findings, whole.findings);
  assert.deepEqual(got.summary, whole.summary);
  assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
});

test('validate --jobs N: worker threads check the events, and the output is the same for any N', () => {
  const args = (jobs) => ['validate', '--format', 'json', '--now', '2030-01-01T00:00:00Z', ...(jobs ? ['--jobs', jobs] : []), big];
  const one = npm(args('1'));
  assert.equal(one.status, 1, one.stderr);
  const codes = new Set(JSON.parse(one.stdout).findings.map((f) => f.code));
  assert.ok(codes.has('stream.duplicate') && codes.has('stream.id_conflict'), [...codes].join(', '));
  for (const jobs of ['2', '4', null]) {
    const other = npm(args(jobs));
    assert.equal(other.status, 1, other.stderr);
    assert.equal(other.stderr, '');
    assert.ok(other.stdout === one.stdout, `--jobs ${jobs ?? '(default)'} differs from --jobs 1`);
  }
});

// A copy of the installed package whose checking threads fail on their third batch, by exiting or
// by throwing: the batches they did not answer are checked on the main thread, and the report is
// still the whole one.
test('validate --jobs N: when a checking thread fails, its batches are checked on the main thread, and the output is the same', () => {
  const args = ['validate', '--format', 'json', '--now', '2030-01-01T00:00:00Z'];
  const one = npm([...args, '--jobs', '1', big]);
  assert.equal(one.status, 1, one.stderr);
  for (const failure of ['process.exit(3)', "throw new Error('a checking thread broke')"]) {
    const copy = mkdtempSync(join(tmpdir(), 'msgevents-failing-'));
    try {
      cpSync(packageDir(), copy, { recursive: true });
      writeFileSync(join(copy, 'bin', 'check-worker.js'), `import { parentPort } from 'node:worker_threads';
import { createValidator } from '../src/index.js';
const checker = await (await createValidator()).createBatchChecker();
let batches = 0;
parentPort.on('message', ({ id, batch }) => {
  if (++batches === 3) ${failure};
  const results = checker.check(batch);
  parentPort.postMessage({ id, results }, [results.buffer]);
});
`);
      const r = run(process.execPath, [join(copy, 'bin', 'msgevents.js'), ...args, '--jobs', '3', big]);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr, '', failure);
      assert.ok(r.stdout === one.stdout, `with threads that fail (${failure}), --jobs 3 differs from --jobs 1`);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
});

test('redact: the events redacted on stdout; what is withheld on stderr, and exit 1', () => {
  const r = npm(['redact', '--key-file', key, withheldFile]);
  assert.equal(r.status, 1, r.stderr);
  const { text, findings } = v.redact(withheldText, { key: 'the key', withFindings: true });
  assert.equal(r.stdout, text);
  assert.ok(!r.stdout.includes('+447700900461'));
  assert.equal(findings.length, 1);
  assert.equal(r.stderr, `${withheldFile}:2:1: error redact.withheld ${findings[0].message}\n`);
  assert.ok(!r.stderr.includes('+447700900461'));

  const ok = npm(['redact', '--key-file', key, good]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stderr, '');
  assert.doesNotMatch(ok.stdout, /"address":"\+/);
  assert.match(ok.stdout, /"address":"redacted:[0-9a-f]{32}"/);
  const random = npm(['redact', '-'], withheldText);
  assert.equal(random.status, 1);
  assert.match(random.stderr, /^msgevents redact: no --key-file: using a random key for this run; its tokens match no other run\n<stdin>:2:1: error redact\.withheld /);
  for (const args of [['redact'], ['redact', '--key-file'], ['redact', '--profile', 'secret', good], ['redact', '--bogus', good],
    ['redact', good, good], ['redact', '--key-file', join(dir, 'missing'), good], ['redact', '--key-file', key, join(dir, 'missing')]]) {
    const u = npm(args);
    assert.equal(u.status, 2, args.join(' '));
    assert.equal(u.stdout, '', args.join(' '));
    assert.match(u.stderr, /^msgevents redact: /, args.join(' '));
  }
  assert.match(npm(['redact', '--help']).stdout, /^usage: msgevents redact/);
});

test('an output that cannot be written: one line on stderr and exit 2, no stack trace', async () => {
  const sh = (command) => spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' });
  for (const args of [`validate ${good}`, `validate --format json ${bad.replace(/ /g, '\\ ').replace(/"/g, '\\"')}`, 'catalog', `redact --key-file ${key} ${good}`]) {
    const r = sh(`"${npmCli()}" ${args} > /dev/full`);
    assert.equal(r.status, 2, `${args}: ${r.stderr}`);
    assert.equal(r.stderr, 'msgevents: cannot write output: No space left on device\n', args);
    if (existsSync(nativeCli)) {
      const native = sh(`"${nativeCli}" ${args} > /dev/full`);
      assert.deepEqual([native.status, native.stderr], [r.status, r.stderr], `native ${args}`);
    }
  }
  // A reader that goes away: the rest cannot be delivered, and the caller must not take the
  // output for complete.
  const child = spawn(npmCli(), ['redact', '--key-file', key, big], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdout.once('data', () => child.stdout.destroy());
  const status = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(status, 2, stderr);
  assert.equal(stderr, 'msgevents: cannot write output: Broken pipe\n');
});

test('an unexpected error: one line on stderr and exit 2, never a stack trace', () => {
  const preload = join(dir, 'boom.cjs');
  writeFileSync(preload, [
    // Thrown from a callback while the CLI runs (it opens the file), outside any promise chain.
    "const fsp = require('node:fs/promises'); const open = fsp.open;",
    "if (process.env.BOOM === 'uncaught') fsp.open = async (...a) => { setImmediate(() => { throw new Error('boom in a callback'); }); return open(...a); };",
    "if (process.env.BOOM === 'wasm') WebAssembly.instantiate = () => Promise.reject(new Error('no WebAssembly here'));",
    '',
  ].join('\n'));
  for (const [kind, message] of [['uncaught', /^msgevents: boom in a callback\n$/],
    ['wasm', /^msgevents: could not load the WebAssembly module: [^\n]*no WebAssembly here[^\n]*\n$/]]) {
    const r = spawnSync(npmCli(), ['validate', big], { encoding: 'utf8', env: { ...process.env, BOOM: kind, NODE_OPTIONS: `--require ${preload}` } });
    assert.equal(r.status, 2, `${kind}: ${r.stderr}`);
    assert.match(r.stderr, message, kind);
  }
});

const FORMATS = ['text', 'json', 'sarif', 'junit', 'github'];
const nativeCases = () => [
  // Every format on every kind of input: a finding, names with spaces, quotes and control
  // characters, several files with stdin and a missing one, a limit hit.
  ...FORMATS.flatMap((format) => [
    ['validate', '--format', format, bad],
    ['validate', '--format', format, '--now', '2030-01-01T00:00:00Z', hostile, good, '-'],
    ['validate', '--format', format, '--strict', '--profile', 'public', good, bad, join(dir, 'missing.ndjson')],
    ['validate', '--format', format, '--max-event-bytes', '4000', incomplete],
    ['validate', '--format', format, '--max-findings', '2', '--now', '2030-01-01T00:00:00Z', bad, hostile],
    ['validate', '--format', format, '--site-url', 'https://docs.example.org/msgevents/', big],
  ]),
  ['validate', '--fail-on', 'warning', '--format', 'github', incomplete],
  ['validate', '--fail-on', 'critical', bad],
  ['validate', '--format', 'junit', join(dir, 'missing.ndjson')],
  ['validate', '--format', 'json', join(dir, 'missing.ndjson')],
  ['validate', bad],
  ['validate', '--format', 'json', bad],
  ['validate', '--now', '2025-11-05T09:12:44Z', '--profile', 'public', '--strict', good, bad],
  ['validate', '--format', 'json', '--now', '2025-11-05T09:12:44+02:00', good, bad, join(dir, 'missing.ndjson')],
  ['validate', '--format', 'json', '--max-event-bytes', '300', '--now', '2025-11-05T09:12:44Z', good],
  ['validate', '--now', '2030-01-01T00:00:00Z', big],
  ['validate', '--now', '2030-01-01T00:00:00Z', hostile],
  ['validate', '--format', 'json', '--now', '2030-01-01T00:00:00Z', hostile, good],
  ['validate', '--now', '2030-01-01T00:00:00Z', '--max-event-bytes', '4000', incomplete, good],
  ['validate', '--format', 'json', '--now', '2030-01-01T00:00:00Z', '--max-event-bytes', '4000', incomplete, good],
  ['validate', '--profile'],
  ['validate', '--now', '2025-13-01T00:00:00Z', good],
  ['validate', '--max-event-bytes', 'x', good],
  ['validate', '--max-findings', '0', good],
  ['validate', '--max-findings', '--jobs', '1', good],
  ['validate', '--format', 'json', '--jobs', '1', big],
  ['validate', '--format', 'sarif', '--jobs', '3', big],
  ['validate', '--jobs', '0', good],
  ['validate', '--jobs', '65', good],
  ['validate', '--jobs'],
  ['validate', '-x', good],
  ['validate'],
  ['catalog'],
  ['checklist'],
  ['catalog', 'x'],
  ['redact', '--key-file', key, withheldFile],
  ['redact', '--key-file', key, '--profile', 'internal', withheldFile],
  ['redact', '--key-file', key, '-'],
  ['redact', '--key-file', key, good],
  ['redact', '--help'],
  ['redact'],
  ['redact', '--profile', 'secret', good],
  ['redact', '--key-file', join(dir, 'missing'), good],
  ['redact', '--key-file', key, join(dir, 'missing')],
  ['redact', '-x', good],
];

test('parity with the native CLI: same stdout, stderr and exit status', { skip: !existsSync(nativeCli) && 'build/native/msgevents not built' }, () => {
  for (const args of nativeCases()) {
    const native = run(nativeCli, args, badText);
    const ours = npm(args, badText);
    assert.equal(ours.status, native.status, `exit status of ${args.join(' ')}`);
    assert.equal(ours.stdout, native.stdout, `stdout of ${args.join(' ')}`);
    assert.equal(ours.stderr, native.stderr, `stderr of ${args.join(' ')}`);
  }
  const stdin = ['validate', '--format', 'json', '--now', '2030-01-01T00:00:00Z', '-'];
  assert.equal(npm(stdin, badText).stdout, run(nativeCli, stdin, badText).stdout);
});

test('a progress bar goes to stderr when it is a terminal, and never into the output', { skip: !existsSync('/usr/bin/script') && 'no script(1) to make a terminal' }, () => {
  // 9 MiB: above the size at which the bar is worth showing.
  const { readFileSync } = process.getBuiltinModule('node:fs');
  const huge = join(dir, 'huge.ndjson');
  const chunk = readFileSync(big);
  writeFileSync(huge, Buffer.concat([chunk, chunk, chunk]));
  const out = join(dir, 'huge.json');
  const log = join(dir, 'tty.log');
  // script(1) runs the CLI with a pseudo-terminal as its stderr; stdout goes to a file.
  const command = `${npmCli()} validate --format json --now 2030-01-01T00:00:00Z ${huge} > ${out}`;
  const r = spawnSync('/usr/bin/script', ['-qec', command, log], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const terminal = readFileSync(log, 'latin1');
  assert.match(terminal, /huge\.ndjson \[#*\.*\] \d+\.\d\/\d+\.\d MiB/);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(report.summary, v.validate(readFileSync(huge), { now: '2030-01-01T00:00:00Z' }).summary);
});

test('text output escapes control characters from file names and events: one line a finding', () => {
  const r = npm(['validate', '--now', '2030-01-01T00:00:00Z', hostile]);
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stdout, /[\x1b\u202e]/);
  const lines = r.stdout.split('\n').slice(0, -2);
  const shown = join(dir, 'esc\\x1b[31m "q"\\u202e\\n.ndjson');
  assert.ok(lines.every((line) => line.startsWith(`${shown}:`)), r.stdout);
  assert.match(r.stdout, /unknown event_name "X\\x1b\[2J\\nbad\.ndjson: 0 events, 0 critical"/);
  assert.match(lines.at(-1), /: 1 event, 0 critical, 1 error, 0 warnings, 0 info$/);
});

test('a limit hit says INCOMPLETE on the summary line and "incomplete" in the JSON summary', () => {
  const args = ['--now', '2030-01-01T00:00:00Z', '--max-event-bytes', '4000', incomplete];
  const text = npm(['validate', ...args]);
  assert.equal(text.status, 1);
  assert.match(text.stdout, /: 2 events, 1 critical, 1 error, 120 warnings, 0 info; INCOMPLETE: 1 event over the size limit skipped unread; 20 findings counted but not listed \(over the limit for one event or for the run\)\nrun: [^\n]*\n$/);
  const json = JSON.parse(npm(['validate', '--format', 'json', ...args]).stdout);
  assert.deepEqual(json.summary, { events: 2, critical: 1, error: 1, warning: 120, info: 0, incomplete: true, findings_omitted: 20, events_skipped: 1, input_rejected: false });
  assert.equal(json.findings.filter((f) => f.code === 'event.findings_truncated').length, 1);
  assert.equal(json.findings.length, 102);
});

// 1 MiB of `{}` lines is 2.8 million findings: by default the first 100,000 are listed, then one
// input.findings_limit; with the limit raised, the CLI writes them all as they come (it used to
// run out of memory at 900 KB), so the output is counted as it streams, never held.
test('1 MiB of `{}` lines: the first 100,000 findings or, with --max-findings, every one, then the summary; exit 1', { timeout: 300_000 }, async () => {
  const dense = join(dir, 'dense.ndjson');
  writeFileSync(dense, '{}\n'.repeat(Math.ceil((1 << 20) / 3)));
  const count = (command, args) => new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let lines = 0;
    let tail = '';
    let stderr = '';
    child.stdout.on('data', (data) => {
      for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) ++lines;
      tail = (tail + data.toString('utf8')).slice(-600);
    });
    child.stderr.on('data', (data) => { stderr += data; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, lines, tail, stderr }));
  });
  const events = Math.ceil((1 << 20) / 3);
  const capped = await count(npmCli(), ['validate', '--now', '2030-01-01T00:00:00Z', dense]);
  assert.equal(capped.stderr, '');
  assert.equal(capped.status, 1);
  assert.equal(capped.lines, 100000 + 1 + 2);
  assert.match(capped.tail, new RegExp(`: ${events} events, ${events * 8} critical, 1 error, 0 warnings, 0 info; INCOMPLETE: ${events * 8 - 100000} findings counted but not listed \\(over the limit for one event or for the run\\)\nrun: [^\n]*\n$`));
  const all = ['validate', '--max-findings', '3000000', '--now', '2030-01-01T00:00:00Z', dense];
  const ours = await count(npmCli(), all);
  assert.equal(ours.stderr, '');
  assert.equal(ours.status, 1);
  assert.equal(ours.lines, events * 8 + 2);
  assert.match(ours.tail, new RegExp(`: ${events} events, ${events * 8} critical, 0 errors, 0 warnings, 0 info\nrun: [^\n]*\n$`));
  if (existsSync(nativeCli)) {
    assert.deepEqual(await count(nativeCli, ['validate', '--now', '2030-01-01T00:00:00Z', dense]), capped);
    assert.deepEqual(await count(nativeCli, all), ours);
  }
});
