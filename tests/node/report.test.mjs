// The report formats for CI, checked by readers that are not ours: SARIF 2.1.0 against the SARIF
// SDK's JSON schema (ajv) and by the SARIF multitool's own validator; JUnit read back with a real
// XML parser (fast-xml-parser) and its counts checked against the findings; GitHub workflow
// commands line by line; --fail-on; and the package's createReport, which the CLIs and the page use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { importPackage, npmCli, repoRoot } from './helpers/package.mjs';
import { example, ndjson } from './helpers/events.mjs';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;
const require = createRequire(import.meta.url);
// The SARIF SDK's package (the multitool for Linux) ships the SARIF 2.1.0 schema beside the tool.
const multitoolDir = dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json'));
const sarifSchema = JSON.parse(readFileSync(join(multitoolDir, 'sarif-2.1.0.json'), 'utf8'));
const SITE = 'https://docs.example.org/msgevents/';

let v;
let dir;
let inputs; // fixture inputs, plus copies under hostile names
const env = { ...process.env, SOURCE_DATE_EPOCH: '1893456000' };
const cli = (args, input) => {
  const r = spawnSync(npmCli(), args, { input, encoding: 'utf8', maxBuffer: 1 << 28, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

before(async () => {
  const { createValidator } = await importPackage();
  v = await createValidator();
  dir = mkdtempSync(join(tmpdir(), 'msgevents-report-'));
  const fixtures = join(repoRoot, 'tests/fixtures');
  inputs = readdirSync(fixtures).filter((f) => /\.(nd)?json$/.test(f) && !f.endsWith('.expect.json')).sort().map((f) => join(fixtures, f));
  for (const [i, name] of ['with space.ndjson', 'quote"d\'.ndjson', 'ctl\x1b[2J\n\u202e%3A:,.ndjson'].entries()) {
    const file = join(dir, name);
    copyFileSync(inputs[i * 7], file);
    inputs.push(file);
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

const jsonReport = (extra = []) => JSON.parse(cli(['validate', '--format', 'json', ...extra, ...inputs]).stdout);

test('SARIF: valid against the SARIF 2.1.0 schema, and every result says what the JSON report says', () => {
  const r = cli(['validate', '--format', 'sarif', '--site-url', SITE, ...inputs]);
  assert.equal(r.status, 1, r.stderr);
  const sarif = JSON.parse(r.stdout);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(sarifSchema);
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  // The check bites: a level SARIF does not have is refused.
  const broken = structuredClone(sarif);
  broken.runs[0].results[0].level = 'critical';
  assert.equal(validate(broken), false);

  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs.length, 1);
  const [run] = sarif.runs;
  const rules = v.rules();
  assert.deepEqual(run.tool.driver.rules.map((rule) => rule.id), rules.map((rule) => rule.code));
  const level = { critical: 'error', error: 'error', warning: 'warning', info: 'note' };
  for (const [i, rule] of run.tool.driver.rules.entries()) {
    assert.equal(rule.helpUri, `${SITE}checklist/#${rules[i].code}`);
    assert.equal(rule.shortDescription.text, rules[i].title);
    assert.equal(rule.fullDescription.text, rules[i].explanation);
    assert.equal(rule.defaultConfiguration.level, level[rules[i].severity]);
  }
  assert.equal(run.tool.driver.version, v.version);
  assert.equal(run.tool.driver.properties.catalog_version, v.catalog.catalog_version);
  assert.equal(run.columnKind, 'unicodeCodePoints');
  const [invocation] = run.invocations;
  assert.deepEqual([invocation.startTimeUtc, invocation.endTimeUtc], ['2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z']);
  assert.deepEqual(invocation.properties.inputs, inputs);
  assert.equal(invocation.properties.clock, 'SOURCE_DATE_EPOCH');

  // The artifacts are the inputs, their URIs percent-encoded file: URIs that decode to the name.
  assert.deepEqual(run.artifacts.map((a) => decodeURIComponent(new URL(a.location.uri).pathname)), inputs);
  assert.ok(run.artifacts.every((a) => /^file:\/\/[A-Za-z0-9\-._~/%]+$/.test(a.location.uri)));

  const json = jsonReport();
  const findings = json.files.flatMap((f, index) => f.findings.map((finding) => ({ ...finding, index })));
  assert.equal(run.results.length, findings.length);
  assert.ok(findings.length > 100, `${findings.length} findings`);
  for (const [i, result] of run.results.entries()) {
    const f = findings[i];
    assert.equal(result.ruleId, f.code);
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, f.code);
    assert.equal(result.level, level[f.severity]);
    assert.equal(result.message.text, f.message);
    const [location] = result.locations;
    assert.equal(location.physicalLocation.artifactLocation.index, f.index);
    assert.equal(location.physicalLocation.artifactLocation.uri, run.artifacts[f.index].location.uri);
    assert.deepEqual(location.physicalLocation.region, { startLine: f.line, startColumn: f.column });
    if (f.event_index >= 0) assert.equal(location.logicalLocations[0].fullyQualifiedName, f.pointer);
    else assert.equal(location.logicalLocations, undefined);
    assert.deepEqual(result.properties, { severity: f.severity, event_index: f.event_index, pointer: f.pointer });
  }
  assert.deepEqual(run.properties.summary, json.summary);
});

test('SARIF: the SARIF multitool validates it without an error or a warning', () => {
  const report = join(dir, 'report.sarif');
  writeFileSync(report, cli(['validate', '--format', 'sarif', '--site-url', SITE, ...inputs]).stdout);
  const out = join(dir, 'validation.sarif');
  // Invariant globalisation: the tool needs no ICU then.
  const r = spawnSync(join(multitoolDir, 'Sarif.Multitool'), ['validate', report, '-j', join(multitoolDir, 'sarif-2.1.0.json'), '-o', out, '--log', 'ForceOverwrite'],
    { encoding: 'utf8', env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const results = JSON.parse(readFileSync(out, 'utf8')).runs[0].results;
  const problems = results.filter((x) => x.level === 'error' || x.level === 'warning' || x.level === undefined);
  assert.deepEqual(problems.map((x) => `${x.ruleId}: ${JSON.stringify(x.message)}`), []);
  // It does find problems: an absolute path given as a relative reference is one (SARIF1004).
  const wrong = JSON.parse(readFileSync(report, 'utf8'));
  wrong.runs[0].artifacts[0].location.uri = '/tmp/x.ndjson';
  writeFileSync(report, JSON.stringify(wrong));
  spawnSync(join(multitoolDir, 'Sarif.Multitool'), ['validate', report, '-o', out, '--log', 'ForceOverwrite'],
    { env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
  assert.ok(JSON.parse(readFileSync(out, 'utf8')).runs[0].results.some((x) => x.ruleId === 'SARIF1004'));
});

test('JUnit: well-formed XML, a suite per input, a test case per event, a failure per failing event; counts add up', () => {
  const r = cli(['validate', '--format', 'junit', ...inputs]);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(XMLValidator.validate(r.stdout), true);
  const array = new Set(['testsuite', 'testcase', 'property']);
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray: (name) => array.has(name) }).parse(r.stdout);
  const root = xml.testsuites;
  const json = jsonReport();
  assert.equal(root.testsuite.length, inputs.length);
  let tests = 0;
  let failures = 0;
  for (const [i, suite] of root.testsuite.entries()) {
    const file = json.files[i];
    assert.equal(suite.name, file.file.replace(/\x1b/g, '\\x1b').replace(/\n/g, '\\n').replace(/\u202e/g, '\\u202e'));
    const cases = suite.testcase ?? [];
    const eventCases = cases.filter((c) => /^\d+ /.test(c.name));
    const inputCases = cases.filter((c) => c.name.startsWith('input '));
    assert.equal(eventCases.length, file.summary.events, file.file);
    assert.equal(inputCases.length, file.findings.filter((f) => f.event_index < 0).length);
    assert.deepEqual(eventCases.map((c) => Number(c.name.split(' ')[0])), Array.from({ length: file.summary.events }, (_, n) => n));
    const failing = new Set(file.findings.filter((f) => f.event_index >= 0 && (f.severity === 'error' || f.severity === 'critical')).map((f) => f.event_index));
    assert.deepEqual(eventCases.filter((c) => c.failure).map((c) => Number(c.name.split(' ')[0])), [...failing].sort((a, b) => a - b));
    for (const c of eventCases.filter((x) => x.failure)) {
      const first = file.findings.find((f) => f.event_index === Number(c.name.split(' ')[0]) && (f.severity === 'error' || f.severity === 'critical'));
      assert.equal(c.failure.type, first.code);
    }
    assert.equal(Number(suite.tests), cases.length);
    assert.equal(Number(suite.failures), cases.filter((c) => c.failure).length);
    tests += cases.length;
    failures += Number(suite.failures);
    const props = Object.fromEntries(suite.properties.property.filter((p) => p.name !== 'input').map((p) => [p.name, p.value]));
    assert.deepEqual(props, { tool: 'msgevents', tool_version: v.version, catalog_version: v.catalog.catalog_version, profile: 'internal', strict: 'false',
      clock: 'SOURCE_DATE_EPOCH', now: '2030-01-01T00:00:00.000Z', started_at: '2030-01-01T00:00:00.000Z', events: String(file.summary.events) });
    assert.equal(suite.properties.property.filter((p) => p.name === 'input').length, inputs.length);
  }
  assert.equal(Number(root.tests), tests);
  assert.equal(Number(root.failures), failures);
  assert.ok(failures > 0 && failures < tests);
  // Event names: the catalog's, for a valid event.
  const good = join(dir, 'good.ndjson');
  writeFileSync(good, ndjson([example(v, 'CustomerCreated'), example(v, 'ContactCreated')]));
  const names = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => array.has(name) })
    .parse(cli(['validate', '--format', 'junit', good]).stdout).testsuites.testsuite[0].testcase.map((c) => c.name);
  assert.deepEqual(names, ['0 CustomerCreated', '1 ContactCreated']);
});

test('github: one workflow command a finding, escaped; summaries and the run as plain log lines', () => {
  const r = cli(['validate', '--format', 'github', ...inputs]);
  assert.equal(r.status, 1);
  const json = jsonReport();
  const lines = r.stdout.split('\n');
  assert.equal(lines.pop(), '');
  const commands = lines.filter((l) => l.startsWith('::'));
  assert.ok(lines.every((l) => l.startsWith('::') || l.startsWith('msgevents: ')), lines.find((l) => !l.startsWith('::') && !l.startsWith('msgevents: ')));
  const findings = json.files.flatMap((f) => f.findings.map((finding) => ({ ...finding, file: f.file })));
  assert.equal(commands.length, findings.length);
  const command = { critical: 'error', error: 'error', warning: 'warning', info: 'notice' };
  for (const [i, line] of commands.entries()) {
    const f = findings[i];
    const m = /^::(error|warning|notice) file=([^,:]*),line=(\d+),col=(\d+),title=([a-z0-9_.]+)::(.*)$/.exec(line);
    assert.ok(m, line);
    assert.deepEqual([m[1], Number(m[3]), Number(m[4]), m[5]], [command[f.severity], f.line, f.column, f.code]);
    assert.doesNotMatch(m[6], /[\x00-\x1f\x7f\u202e]/);
  }
  const hostile = inputs.at(-1);
  const shown = hostile.replace(/%/g, '%25').replace(/\x1b/g, '\\x1b').replace(/\n/g, '\\n').replace(/\u202e/g, '\\u202e').replace(/:/g, '%3A').replace(/,/g, '%2C');
  assert.ok(commands.some((l) => l.includes(`file=${shown},`)), shown);
  assert.match(lines.at(-1), /^msgevents: run: msgevents /);
  assert.match(lines.at(-2), /^msgevents: total: \d+ events/);
});

test('--fail-on: exit 1 only when a finding is at or above the severity', () => {
  const warnings = join(dir, 'warnings.ndjson');
  writeFileSync(warnings, ndjson([{ ...example(v, 'CustomerCreated'), note: 1 }]));
  const status = (...args) => cli(['validate', ...args, warnings]).status;
  assert.equal(status(), 0);
  assert.equal(status('--fail-on', 'error'), 0);
  assert.equal(status('--fail-on', 'warning'), 1);
  assert.equal(status('--fail-on', 'info'), 1);
  assert.equal(status('--strict', '--fail-on', 'critical'), 0);
  assert.equal(status('--strict'), 1);
  const empty = join(dir, 'empty.ndjson');
  writeFileSync(empty, '');
  assert.equal(cli(['validate', '--fail-on', 'critical', empty]).status, 1);
});

test('createReport: the parts put together are the CLI\'s output, in every format', async () => {
  const text = ndjson([example(v, 'CustomerCreated'), { ...example(v, 'ContactCreated'), event_id: 'x' }]);
  for (const format of ['text', 'json', 'sarif', 'junit', 'github']) {
    const report = await v.createReport({ format, inputs: ['<stdin>'], clock: 'SOURCE_DATE_EPOCH', startedAt: 1893456000000 });
    assert.equal(report.holdsBack, format === 'junit');
    const begin = report.begin();
    const part = report.beginInput('<stdin>') + report.push(text.slice(0, 100)) + report.push(text.slice(100));
    const input = report.endInput();
    assert.deepEqual(report.totals, { events: 2, critical: 0, error: 1, warning: 0, info: 0 });
    const run = report.finish(1893456000000);
    if (format !== 'junit') assert.equal(input.head + run.head, '');
    const ours = run.head + begin + input.head + part + input.tail + run.tail;
    assert.equal(ours, cli(['validate', '--format', format, '-'], text).stdout, format);
    assert.throws(() => report.push('{}'), /finished or closed/);
  }
  await assert.rejects(v.createReport({ format: 'xml', inputs: ['a'] }), /format/);
  await assert.rejects(v.createReport({ format: 'json' }), /inputs/);
  await assert.rejects(v.createReport({ inputs: ['a\0b'] }), /inputs/);
  // Out of order: the tools module refuses (a MsgeventsError, an exception caught at its boundary).
  const report = await v.createReport({ format: 'json', inputs: ['a'] });
  assert.throws(() => report.push('{}'), { name: 'MsgeventsError', message: /push before beginInput/ });
});

test('redact: the withheld findings on stderr are the core\'s text format, whatever the file name', () => {
  const channel = example(v, 'ChannelMapped');
  const file = join(dir, 'w\x1b "x".ndjson');
  writeFileSync(file, `${JSON.stringify(channel).slice(0, -1)}\n`);
  const key = join(dir, 'key');
  writeFileSync(key, 'k');
  const r = cli(['redact', '--key-file', key, file]);
  assert.equal(r.status, 1);
  const { findings } = v.redact(readFileSync(file, 'utf8'), { key: 'k', withFindings: true });
  assert.equal(r.stderr, `${join(dir, 'w\\x1b "x".ndjson')}:1:1: error redact.withheld ${findings[0].message}\n`);
  assert.ok(existsSync(file));
});
