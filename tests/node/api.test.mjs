// The package's JavaScript API, as a user gets it from the installed tarball.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { importPackage, packageDir, tarball, testProject } from './helpers/package.mjs';
import { customerCorpus, example, examples, ndjson, positionOf } from './helpers/events.mjs';

let pkg;
let v;

before(async () => {
  pkg = await importPackage();
  v = await pkg.createValidator();
});

test('createValidator is memoised and exposes the whole API', async () => {
  assert.equal(typeof pkg.createValidator, 'function');
  assert.equal(typeof pkg.MsgeventsError, 'function');
  assert.equal(await pkg.createValidator(), v, 'a second call returns the same validator');
  const manifest = JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8'));
  assert.equal(v.version, manifest.version);
  for (const method of ['validate', 'createSession', 'validateStream', 'checklist', 'rules', 'catalogJson', 'jsonSchema', 'parseDateTime']) {
    assert.equal(typeof v[method], 'function', method);
  }
});

test('package.json: an ES module, types first, the .wasm as a subpath, no dependencies or install scripts', () => {
  const manifest = JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'msgevents');
  assert.equal(manifest.type, 'module');
  assert.deepEqual(Object.keys(manifest.exports), ['.', './msgevents.wasm', './msgevents-tools.wasm', './package.json']);
  assert.equal(Object.keys(manifest.exports['.'])[0], 'types');
  for (const key of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies']) assert.equal(manifest[key], undefined, key);
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(manifest.scripts?.[hook], undefined, hook);
  assert.ok(Array.isArray(manifest.files));
  assert.equal(manifest.bin.msgevents, 'bin/msgevents.js');

  // What the tarball holds: the package's files and nothing else (no sources, tests, build trees).
  const listed = execFileSync('tar', ['-tzf', tarball()], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
  assert.deepEqual(listed, ['README.md', 'bin/check-worker.js', 'bin/msgevents.js', 'dist/event-types.js', 'dist/events.d.ts', 'dist/msgevents_tools.mjs',
    'dist/msgevents_tools.wasm', 'dist/msgevents_wasm.mjs', 'dist/msgevents_wasm.wasm', 'package.json', 'src/index.js', 'src/internal.js',
    'src/tools.js', 'types/index.d.ts']);

  // The subpaths resolve through the exports map, from a user's project.
  const require = createRequire(join(testProject(), 'package.json'));
  assert.equal(require.resolve('msgevents/msgevents.wasm'), join(packageDir(), 'dist/msgevents_wasm.wasm'));
  assert.equal(require.resolve('msgevents/package.json'), join(packageDir(), 'package.json'));
  assert.throws(() => require.resolve('msgevents/src/internal.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
});

test('the wasmBinary hook loads a separate module from the given bytes', async () => {
  const bytes = readFileSync(join(packageDir(), 'dist/msgevents_wasm.wasm'));
  const other = await pkg.createValidator({ wasmBinary: bytes });
  assert.notEqual(other, v);
  assert.deepEqual(other.validate('{}'), v.validate('{}'));
  await assert.rejects(pkg.createValidator({ wasmBinary: new Uint8Array([0, 1, 2]) }), pkg.MsgeventsError);
});

test('every example of the catalog validates with no findings, as text and as bytes', () => {
  const events = examples(v);
  assert.ok(events.length >= 21, `${events.length} examples`);
  for (const event of events) {
    const text = JSON.stringify(event, null, 2);
    const report = v.validate(text);
    assert.deepEqual(report.findings, [], `${event.event_name}: ${JSON.stringify(report.findings)}`);
    assert.deepEqual(report.summary, { events: 1, critical: 0, error: 0, warning: 0, info: 0 });
  }
  const stream = ndjson(events.filter((e) => e.version === 1));
  assert.deepEqual(v.validate(new TextEncoder().encode(stream)).findings, []);
});

test('a bad event id is reported with its code, pointer, line and column', () => {
  const events = [example(v, 'CustomerCreated'), example(v, 'ContactCreated'), example(v, 'ProviderConfigured')];
  events[2].event_id = 'not-a-uuid';
  const text = ndjson(events);
  const report = v.validate(text);
  const finding = report.findings.find((f) => f.code === 'envelope.event_id.format');
  assert.ok(finding, JSON.stringify(report.findings));
  const at = positionOf(text, '"not-a-uuid"');
  assert.deepEqual(
    { severity: finding.severity, pointer: finding.pointer, line: finding.line, column: finding.column, event_index: finding.event_index },
    { severity: 'error', pointer: '/event_id', line: 3, column: at.column, event_index: 2 },
  );
  assert.equal(at.line, 3);
  assert.match(finding.message, /\S/);
  assert.equal(report.summary.events, 3);
  assert.ok(report.summary.error >= 1);
});

test('strings, Uint8Array, ArrayBuffer and other views give the same report', () => {
  const event = example(v, 'ContactCreated');
  event.event_id = 'ÿ-not-an-id';
  // A non-ASCII character before the finding: columns count code points, not bytes.
  const text = `[\n ${JSON.stringify({ ...event, note: 'héllo wörld 😀' })}\n]`;
  const bytes = new TextEncoder().encode(text);
  const expected = v.validate(text);
  assert.ok(expected.findings.length > 0);
  assert.deepEqual(v.validate(bytes), expected);
  assert.deepEqual(v.validate(bytes.buffer), expected);
  assert.deepEqual(v.validate(new DataView(bytes.buffer)), expected);
  assert.deepEqual(v.validate(Buffer.from(text)), expected);
  const unknown = expected.findings.find((f) => f.pointer === '/note');
  assert.ok(unknown, 'the unknown field is reported');
  assert.deepEqual({ line: unknown.line, column: unknown.column }, positionOf(text, '"note"'));
});

test('options: profile, strict, now, maxEventBytes, maxDepth', () => {
  const event = example(v, 'CustomerCreated');
  event.unexpected_field = 1;
  const unknownField = (report) => report.findings.find((f) => f.pointer === '/unexpected_field');
  assert.equal(unknownField(v.validate(JSON.stringify(event))).severity, 'warning');
  assert.equal(unknownField(v.validate(JSON.stringify(event), { strict: true })).severity, 'error');

  // now: an event an hour after the caller's clock is suspicious; without a clock there is no check.
  const base = example(v, 'CustomerCreated');
  const occurred = Date.parse(base.occurred_at);
  const future = (report) => report.findings.filter((f) => f.pointer === '/occurred_at');
  assert.deepEqual(future(v.validate(JSON.stringify(base))), []);
  for (const now of [new Date(occurred - 3600e3), new Date(occurred - 3600e3).toISOString(), occurred - 3600e3]) {
    const found = future(v.validate(JSON.stringify(base), { now }));
    assert.equal(found.length, 1, `now=${now}`);
    assert.equal(found[0].severity, 'warning');
  }
  assert.deepEqual(future(v.validate(JSON.stringify(base), { now: new Date(occurred + 1000) })), []);

  // profile: the public profile refuses personal data that the internal profile allows.
  const pii = v.catalog.events.find((e) => e.fields.some((f) => f.privacy === 'pii' && f.required));
  assert.ok(pii, 'the catalog has an event with a required pii field');
  const piiText = JSON.stringify(example(v, pii.name));
  assert.equal(v.validate(piiText, { profile: 'internal' }).summary.error, 0);
  const pub = v.validate(piiText, { profile: 'public' });
  assert.ok(pub.summary.error + pub.summary.critical > 0, JSON.stringify(pub.findings));

  const big = v.validate(JSON.stringify(base), { maxEventBytes: 64 });
  assert.ok(big.findings.some((f) => f.code === 'input.event_too_large'), JSON.stringify(big.findings));
  const deep = v.validate(`${'['.repeat(40)}${']'.repeat(40)}`, { maxDepth: 8 });
  assert.ok(deep.findings.some((f) => f.code === 'json.too_deep'), JSON.stringify(deep.findings));
});

test('bad arguments raise clear errors; bad input never does', async () => {
  assert.throws(() => v.validate(42), TypeError);
  assert.throws(() => v.validate(null), TypeError);
  assert.throws(() => v.validate('{}', { profile: 'everyone' }), { name: 'RangeError', message: /profile/ });
  assert.throws(() => v.validate('{}', { strict: 'yes' }), TypeError);
  assert.throws(() => v.validate('{}', { now: 'yesterday' }), { name: 'RangeError', message: /RFC 3339/ });
  assert.throws(() => v.validate('{}', { now: new Date('x') }), RangeError);
  assert.throws(() => v.validate('{}', { maxDepth: 0 }), RangeError);
  assert.throws(() => v.validate('{}', { max_depth: 3 }), { name: 'TypeError', message: /unknown option "max_depth"/ });
  await assert.rejects(v.jsonSchema('NoSuchEvent'), { name: 'MsgeventsError', message: /NoSuchEvent/ });
  await assert.rejects(pkg.createValidator({ wasm: 1 }), TypeError);
  assert.equal(v.parseDateTime('2025-11-05T09:12:44.105Z'), Date.UTC(2025, 10, 5, 9, 12, 44, 105));
  assert.equal(v.parseDateTime('2025-11-05T11:12:44+02:00'), Date.UTC(2025, 10, 5, 9, 12, 44));
  assert.equal(v.parseDateTime('2025-02-30T00:00:00Z'), null);

  // Garbage in gives findings, not exceptions, and the module keeps working.
  for (const input of ['', '\0', '{"a":', '\uD800', '[[[[', new Uint8Array([0xff, 0xfe, 0x00]), '{"a":1,"a":2}']) {
    const report = v.validate(input);
    assert.equal(typeof report.summary.events, 'number');
  }
  assert.ok(v.validate(new Uint8Array([0xff, 0xfe])).findings.length > 0, 'invalid UTF-8 is a finding');
  assert.deepEqual(v.validate(JSON.stringify(example(v, 'CustomerCreated'))).findings, []);
});

test('every method checks its options one way: names, types, ranges; null is the default', async () => {
  const text = JSON.stringify(example(v, 'CustomerCreated'));
  const event = example(v, 'CustomerCreated');
  // Numbers only, whole and in range: no string, no boolean is taken for a number.
  for (const [options, name, message] of [
    [{ maxDepth: '5' }, 'TypeError', /validate: options\.maxDepth: expected a positive integer \(a number\), got "5"/],
    [{ maxDepth: true }, 'TypeError', /options\.maxDepth: .*got boolean true/],
    [{ maxEventBytes: '100' }, 'TypeError', /options\.maxEventBytes: expected a positive integer/],
    [{ maxEventBytes: 1.5 }, 'RangeError', /options\.maxEventBytes: expected an integer from 1 to 9007199254740991, got 1\.5/],
    [{ maxEventBytes: 2 ** 53 }, 'RangeError', /options\.maxEventBytes/],
    [{ maxDepth: 2 ** 32 }, 'RangeError', /options\.maxDepth: expected an integer from 1 to 4294967295/],
    [{ maxDepth: -1 }, 'RangeError', /options\.maxDepth/],
    [{ maxDepth: Number.NaN }, 'RangeError', /options\.maxDepth/],
    [{ now: 8.64e15 + 1 }, 'RangeError', /options\.now: expected milliseconds since the epoch within the Date range/],
    [{ now: -1e300 }, 'RangeError', /options\.now/],
    [{ now: Infinity }, 'RangeError', /options\.now/],
    [{ now: true }, 'TypeError', /options\.now: expected a Date, an RFC 3339 string or milliseconds/],
    [{ profile: 'Public' }, 'RangeError', /options\.profile: expected "internal" or "public", got "Public"/],
    [{ strict: 1 }, 'TypeError', /options\.strict: expected a boolean, got number 1/],
    [{ maxdepth: 5 }, 'TypeError', /unknown option "maxdepth" \(expected one of profile, strict, now, maxEventBytes, maxDepth, maxFindings\)/],
    ['public', 'TypeError', /validate: expected an options object, got "public"/],
  ]) {
    assert.throws(() => v.validate(text, options), { name, message }, JSON.stringify(options));
    assert.throws(() => v.createSession(options), { name, message: new RegExp(message.source.replace('validate', 'createSession')) }, JSON.stringify(options));
    await assert.rejects(v.validateStream([text], options), { name }, JSON.stringify(options));
  }
  // The edges of the ranges are accepted; a date beyond them never reaches the core's int64.
  assert.equal(v.validate(text, { now: 8.64e15, maxDepth: 2 ** 32 - 1, maxEventBytes: Number.MAX_SAFE_INTEGER, maxFindings: Number.MAX_SAFE_INTEGER }).summary.events, 1);
  assert.equal(v.validate(text, { now: -8.64e15 }).summary.events, 1);
  // Strings of the core's RFC 3339 parser are accepted as before.
  assert.equal(v.validate(text, { now: '9999-12-31T23:59:59.999Z' }).summary.events, 1);
  // null, for the object or for one option, is the default.
  const plain = v.validate(text);
  assert.deepEqual(v.validate(text, null), plain);
  assert.deepEqual(v.validate(text, { profile: null, strict: null, now: null, maxEventBytes: null, maxDepth: null }), plain);
  assert.equal(v.createSession(null).finish().summary.events, 0);
  assert.deepEqual(await v.jsonSchema('CustomerCreated', null), await v.jsonSchema('CustomerCreated'));
  assert.deepEqual(await v.toCloudEvent(event, null), await v.toCloudEvent(event));
  assert.equal(typeof v.redact(text, null), 'string');
  assert.equal((await pkg.createValidator(null)).version, v.version);
  // The other methods: their own names, the same rules.
  // The tools are async (their module loads on first use): a bad argument rejects, never throws.
  await assert.rejects(v.jsonSchema('CustomerCreated', { strict: 'yes' }), { name: 'TypeError', message: /jsonSchema: options\.strict: expected a boolean/ });
  await assert.rejects(v.jsonSchema('CustomerCreated', { pretty: true }), { name: 'TypeError', message: /jsonSchema: unknown option "pretty" \(expected one of strict\)/ });
  await assert.rejects(v.toCloudEvent(event, { typePrefix: 3 }), { name: 'TypeError', message: /toCloudEvent: options\.typePrefix: expected a string/ });
  await assert.rejects(v.toCloudEvent(event, { prefix: 'x.' }), { name: 'TypeError', message: /toCloudEvent: unknown option "prefix"/ });
  await assert.rejects(v.jsonSchema(5), { name: 'TypeError', message: /jsonSchema: expected an event name/ });
  await assert.rejects(v.compat(() => {}, '{}'), { name: 'TypeError', message: /compat: oldCatalog must be a catalog/ });
  assert.throws(() => v.redact(text, { keys: 'k' }), { name: 'TypeError', message: /redact: unknown option "keys" \(expected one of key, profile, maxEventBytes, maxDepth, withFindings\)/ });
  assert.throws(() => v.redact(text, { maxDepth: '5' }), { name: 'TypeError', message: /redact: options\.maxDepth/ });
  assert.throws(() => v.redact(text, { key: 5 }), { name: 'TypeError', message: /redact: options\.key: expected a non-empty string, got number 5/ });
  assert.throws(() => v.redact(text, { withFindings: 'yes' }), { name: 'TypeError', message: /redact: options\.withFindings: expected a boolean/ });
});

test('every string enters the module one way: a lone surrogate reads as U+FFFD everywhere', async () => {
  // Embind's own string conversion swallowed the code unit after a lone surrogate (here the
  // closing quote); TextEncoder writes U+FFFD. Each method must see what validate() sees.
  const roundTrip = (s) => new TextDecoder().decode(new TextEncoder().encode(s));
  const event = example(v, 'ContactCreated');
  event.payload.locale = 'LONE';
  const text = JSON.stringify(event).replace('"LONE"', '"en\uD800"');
  assert.ok(text.includes('\uD800"'), 'a raw lone surrogate right before the closing quote');
  assert.deepEqual(v.validate(text), v.validate(roundTrip(text)));
  assert.deepEqual(v.validate(text), v.validate(new TextEncoder().encode(text)));
  assert.deepEqual(await v.toCloudEvent(text), await v.toCloudEvent(roundTrip(text)));
  assert.equal((await v.toCloudEvent(text)).data.locale, 'en\uFFFD');
  assert.equal((await v.toCloudEvent(event, { typePrefix: 'x\uDC00.' })).type, 'x\uFFFD.ContactCreated');
  assert.equal(v.redact(text, { key: 'k' }), v.redact(roundTrip(text), { key: 'k' }));
  assert.equal(v.parseDateTime('2025-11-05T09:12:44Z\uD800'), null);
  await assert.rejects(v.jsonSchema('ContactCreated\uD800'), { name: 'MsgeventsError', message: /ContactCreated\uFFFD/ });
  // A lone surrogate at the end of a purpose: the old conversion ate the quote after it.
  const catalog = v.catalogJson().replace(/("purpose":\s*"[^"]*)"/, '$1\uD800"');
  const report = await v.compat(v.catalogJson(), catalog);
  assert.equal(report.summary.changed, 1, JSON.stringify(report.summary));
  assert.deepEqual(report, await v.compat(v.catalogJson(), roundTrip(catalog)));
});

test('catalog, catalogJson, checklist, rules and JSON Schemas come from the module', async () => {
  const catalog = v.catalog;
  assert.equal(v.catalog, catalog, 'parsed once');
  assert.ok(Object.isFrozen(catalog) && Object.isFrozen(catalog.events[0].fields));
  assert.deepEqual(catalog, JSON.parse(v.catalogJson()));
  assert.equal(catalog.events.length, 21);
  assert.equal(catalog.aggregates.length, 5);

  const rules = v.rules();
  assert.ok(rules.length > 10);
  const checklist = v.checklist();
  assert.match(checklist, /^# /);
  for (const rule of rules) assert.ok(checklist.includes(rule.code), `checklist lacks ${rule.code}`);

  for (const event of catalog.events) {
    const schema = await v.jsonSchema(event.name);
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema', event.name);
  }
  assert.ok(JSON.stringify(await v.jsonSchema()).includes('ConversationArchived'));
});

test('a session fed in chunks gives the same findings as one call', async () => {
  const events = examples(v);
  events[1].event_id = 'bad';
  events[4].payload = { ...events[4].payload, secret: 'hunter2' };
  const broken = `${ndjson(events)}{"event_name": "Customer\u00e9Created"\n{not json}\n`;
  const bytes = new TextEncoder().encode(broken);
  for (const options of [{}, { profile: 'public', strict: true, now: '2025-01-01T00:00:00Z' }]) {
    const whole = v.validate(bytes, options);
    assert.ok(whole.findings.length >= 3);
    for (const size of [1, 3, 64, 4096, bytes.length]) {
      const session = v.createSession(options);
      const findings = [];
      for (let i = 0; i < bytes.length; i += size) findings.push(...session.push(bytes.subarray(i, i + size)));
      const rest = session.finish();
      assert.deepEqual({ ...rest, findings: findings.concat(rest.findings) }, whole, `chunks of ${size}`);
      assert.throws(() => session.push('x'), pkg.MsgeventsError);
    }
    const chunks = async function* () { for (let i = 0; i < bytes.length; i += 1000) yield bytes.subarray(i, i + 1000); };
    assert.deepEqual(await v.validateStream(chunks(), options), whole);
  }
  const session = v.createSession();
  session.push('{"a":');
  const progress = session.progress();
  assert.equal(progress.bytes, 5);
  session.close();
  session.close();
  assert.throws(() => session.finish(), /finished or closed/);
});

test('session.mute: a muted rule is still counted (progress().rules) but no longer returned by push()', () => {
  const session = v.createSession();
  const first = session.push('{}\n{}\n');
  assert.ok(first.length >= 8 && first.some((f) => f.code === 'envelope.event_id.missing'));
  session.mute('envelope.event_id.missing');
  const rest = session.push('{}\n'.repeat(10));
  assert.ok(rest.length >= 70);
  assert.ok(rest.every((f) => f.code !== 'envelope.event_id.missing'));
  const { rules, critical, events } = session.progress();
  assert.ok(events >= 10);
  assert.deepEqual(rules['envelope.event_id.missing'], { critical: events, error: 0, warning: 0, info: 0 });
  assert.equal(Object.values(rules).reduce((n, per) => n + per.critical, 0), critical);
  const shown = first.filter((f) => f.code === 'envelope.event_id.missing').length;
  assert.equal(first.length + rest.length, critical - (events - shown));
  const end = session.finish();
  assert.equal(end.summary.critical, 12 * 8);
  assert.throws(() => v.createSession().mute(1), TypeError);
});

test('a chunk larger than the module takes at once is pushed in pieces: same findings, a surrogate pair never cut', () => {
  // A string chunk whose 1,048,576th code unit (the end of a session's first piece) is the high
  // half of an emoji in a free-text field, and byte chunks of every kind, each over the piece.
  const piece = 1 << 20;
  const note = example(v, 'CustomerDisabled');
  const lines = [];
  let size = 0;
  for (let i = 0; size < piece + 40000; ++i) {
    const e = { ...note, payload: { ...note.payload, note: `x${'y'.repeat(i % 50)}\u{1F600} call +44 20 7946 0123` } };
    if (i % 7 === 3) e.event_id = `bad-${i}`;
    lines.push(JSON.stringify(e));
    size += lines[lines.length - 1].length + 1;
  }
  let text = `${lines.join('\n')}\n`;
  const emoji = text.indexOf('\u{1F600}', piece - 2000);
  text = `${' '.repeat(piece - 1 - emoji)}${text}`;  // the pair straddles the first piece's end
  assert.equal(text.charCodeAt(piece - 1), 0xd83d);
  const whole = v.validate(text);
  assert.ok(whole.findings.some((f) => f.code === 'privacy.contact_data_in_text'));
  assert.ok(!whole.findings.some((f) => f.code === 'json.invalid_utf8'));
  const bytes = new TextEncoder().encode(text);
  for (const chunk of [text, bytes, bytes.buffer, Buffer.from(bytes), new DataView(bytes.buffer)]) {
    const session = v.createSession();
    const findings = session.push(chunk);
    const rest = session.finish();
    assert.deepEqual({ ...rest, findings: findings.concat(rest.findings) }, whole);
  }
});

// The module reads a session's chunk a megabyte at a time, and stops reading once a call has
// made a few MB of findings' JSON: the rest of the chunk goes in the next call.
test('a session takes a megabyte of events in one call, and 64 KiB of `{}` lines in several calls of a few MB each', async () => {
  const { rawPush } = await import(pathToFileURL(join(packageDir(), 'src', 'internal.js')).href);
  const { text } = customerCorpus(v, 1 << 20);
  const clean = v.createSession();
  const bytes = new TextEncoder().encode(text).subarray(0, 1 << 20);
  assert.deepEqual([...clean[rawPush](bytes)], ['[]']);
  clean.close();

  const dense = '{}\n'.repeat((64 << 10) / 3);
  const options = { now: new Date('2030-01-01T00:00:00Z'), maxFindings: 1e6 };
  const session = v.createSession(options);
  const texts = [...session[rawPush](dense)];
  assert.ok(texts.length >= 4, `${texts.length} calls`);
  for (const t of texts) assert.ok(t.length < 12e6, `one call returned ${t.length} bytes`);
  const findings = texts.flatMap((t) => JSON.parse(t)).concat(session.finish().findings);
  const whole = v.validate(dense, options);
  assert.equal(findings.length, whole.findings.length);
  assert.deepEqual(findings, whole.findings);
});

test('a session gives back the memory of every push: 50 MB in 1 MiB chunks, three times, leaves the heap as the first time', () => {
  const { text } = customerCorpus(v, 50 << 20);
  const bytes = new TextEncoder().encode(text);
  const run = (asText) => {
    const session = v.createSession();
    for (let at = 0; at < bytes.length; at += 1 << 20) {
      assert.deepEqual(session.push(asText ? text.slice(at, at + (1 << 20)) : bytes.subarray(at, at + (1 << 20))), []);
    }
    assert.equal(session.finish().summary.critical, 0);
  };
  run(false);
  const afterFirst = v.memoryBytes;
  run(true);
  run(false);
  assert.ok(v.memoryBytes <= afterFirst + (8 << 20), `heap grew from ${afterFirst} to ${v.memoryBytes} bytes`);
});

test('memory is released after each call: ten 50 MB validations do not grow the heap ten-fold', () => {
  const { text, events } = customerCorpus(v, 50 << 20);
  const bytes = new TextEncoder().encode(text);
  const first = v.validate(bytes);
  assert.deepEqual(first.summary, { events, critical: 0, error: 0, warning: 0, info: 0 });
  const afterFirst = v.memoryBytes;
  for (let i = 0; i < 9; ++i) v.validate(i % 2 ? bytes : text);
  const afterTen = v.memoryBytes;
  assert.ok(afterTen <= afterFirst * 1.5, `heap grew from ${afterFirst} to ${afterTen} bytes`);
  assert.ok(afterTen < 10 * bytes.length, `heap ${afterTen} bytes for a ${bytes.length}-byte input`);
});

test('the shipped JavaScript has no eval or new Function (strict CSP)', () => {
  for (const file of ['dist/msgevents_wasm.mjs', 'src/index.js', 'bin/msgevents.js']) {
    const source = readFileSync(join(packageDir(), file), 'utf8');
    assert.doesNotMatch(source, /new Function\s*\(/, file);
    assert.doesNotMatch(source, /(^|[^\w.])eval\s*\(/, file);
  }
});
