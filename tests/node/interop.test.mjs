// Interoperability, cross-checked with independent tools: ajv (JSON Schema 2020-12, ajv-formats)
// compiles every schema `msgevents schema` exports and agrees with msgevents on the catalog's
// examples and on broken copies of them; the `cloudevents` SDK accepts every converted example;
// the AsyncAPI document lists every event. The exports come from the native CLI
// (build/native/msgevents, built by `npm test` before this runs) and, where the package has them,
// from the package too, so both faces are held to the same output.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { CloudEvent } from 'cloudevents';

import { importPackage, nativeCli, repoRoot } from './helpers/package.mjs';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

const cli = process.env.MSGEVENTS_CLI || nativeCli;
assert.ok(existsSync(cli), `the native CLI is not built at ${cli}: run cmake --build build/native first`);

const run = (...args) => execFileSync(cli, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
const runJson = (...args) => JSON.parse(run(...args));

const catalog = runJson('catalog');
const examples = catalog.events.flatMap((e) => e.examples.map((x) => ({ name: e.name, event: structuredClone(x) })));

const ajvWarnings = [];
function newAjv() {
  // strict mode on: an unknown keyword is an error, a type-less constraint a warning we collect.
  const logger = { log() {}, warn: (m) => ajvWarnings.push(String(m)), error: (m) => ajvWarnings.push(String(m)) };
  const ajv = new Ajv2020({ allErrors: true, strict: true, logger });
  addFormats(ajv);
  ajv.addVocabulary(['x-privacy', 'x-aggregate', 'x-schema-version']);
  return ajv;
}

const ajv = newAjv();
const bundle = ajv.compile(runJson('schema'));
const envelope = ajv.compile(runJson('schema', '--envelope'));
const perEvent = new Map(catalog.events.map((e) => [e.name, ajv.compile(runJson('schema', e.name))]));
const strictPerEvent = new Map(catalog.events.map((e) => [e.name, ajv.compile(runJson('schema', '--strict', e.name))]));

/** msgevents' verdict on one event: the codes of its error and critical findings. */
function msgeventsErrors(event, ...flags) {
  const result = spawnSync(cli, ['validate', '--format', 'json', ...flags, '-'], { input: JSON.stringify(event), encoding: 'utf8' });
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  return JSON.parse(result.stdout).findings.filter((f) => f.severity === 'error' || f.severity === 'critical').map((f) => f.code);
}

test('every exported schema compiles and accepts every catalog example', () => {
  assert.deepEqual(ajvWarnings, [], 'ajv strict mode warned about the exported schemas');
  assert.equal(perEvent.size, 21);
  assert.ok(examples.length >= 21);
  for (const { name, event } of examples) {
    assert.ok(bundle(event), `${name}: bundle: ${JSON.stringify(bundle.errors)}`);
    assert.ok(envelope(event), `${name}: envelope: ${JSON.stringify(envelope.errors)}`);
    assert.ok(perEvent.get(name)(event), `${name}: ${JSON.stringify(perEvent.get(name).errors)}`);
    assert.ok(strictPerEvent.get(name)(event), `${name} strict: ${JSON.stringify(strictPerEvent.get(name).errors)}`);
  }
});

test('a schema for one event type rejects the other types', () => {
  const created = examples.find((x) => x.name === 'CustomerCreated').event;
  assert.equal(perEvent.get('ContactCreated')(created), false);
  assert.ok(perEvent.get('ContactCreated').errors.some((e) => e.instancePath === '/event_name' && e.keyword === 'const'));
});

// Broken copies: each break must be caught by the schema AND by msgevents (with the rule code
// msgevents gives it), so the schema never accepts what msgevents rejects for the same reason.
const breaks = [
  ['event_id missing', (e) => { delete e.event_id; }, '/', 'envelope.event_id.missing'],
  ['event_id not a UUID or ULID', (e) => { e.event_id = 'evt-42'; }, '/event_id', 'envelope.event_id.format'],
  ['nil UUID', (e) => { e.event_id = '00000000-0000-0000-0000-000000000000'; }, '/event_id', 'envelope.event_id.format'],
  ['unknown event_name', (e) => { e.event_name = 'CustomerDeleted'; }, '/event_name', 'envelope.event_name.unknown'],
  ['aggregate_type of another aggregate', (e) => { e.aggregate_type = e.aggregate_type === 'Contact' ? 'Customer' : 'Contact'; }, '/aggregate_type', null],
  ['aggregate_id with a space', (e) => { e.aggregate_id = 'cus 1'; }, '/aggregate_id', null],
  ['occurred_at not in UTC', (e) => { e.occurred_at = '2025-03-01T10:00:00+02:00'; }, '/occurred_at', null],
  ['occurred_at not a date', (e) => { e.occurred_at = 'yesterday'; }, '/occurred_at', null],
  ['actor.type unknown', (e) => { e.actor.type = 'robot'; }, '/actor/type', null],
  ['version 0', (e) => { e.version = 0; }, '/version', null],
  ['version a string', (e) => { e.version = '3'; }, '/version', null],
  ['version a fraction', (e) => { e.version = 1.5; }, '/version', null],
  ['payload missing', (e) => { delete e.payload; }, '/', 'envelope.payload.missing'],
  ['idempotency_key empty', (e) => { e.idempotency_key = ''; }, '/idempotency_key', null],
  ['schema_version of another major', (e) => { e.schema_version = '9.0'; }, '/schema_version', 'envelope.schema_version.unsupported'],
];

test('broken copies of every example are rejected by the schema and by msgevents', () => {
  for (const { name, event } of examples.filter((x, i, all) => all.findIndex((y) => y.name === x.name) === i)) {
    for (const [what, breakIt, path, code] of breaks) {
      const copy = structuredClone(event);
      breakIt(copy);
      const schema = perEvent.get(name);
      assert.equal(bundle(copy), false, `${name}, ${what}: the bundle accepted it`);
      if (what !== 'unknown event_name') {
        assert.equal(schema(copy), false, `${name}, ${what}: the schema accepted it`);
        const paths = schema.errors.map((e) => e.instancePath || '/');
        assert.ok(paths.includes(path), `${name}, ${what}: errors at ${paths}, expected ${path}`);
      }
      if (name === 'CustomerCreated') {
        // msgevents on the same copy (one event type is enough to keep the CLI calls few).
        const codes = msgeventsErrors(copy);
        assert.ok(codes.length > 0, `${name}, ${what}: msgevents found no error`);
        if (code) assert.ok(codes.includes(code), `${name}, ${what}: msgevents said ${codes}, expected ${code}`);
      }
    }
  }
});

test('a required payload field missing, a wrong enum value and a bad format are rejected', () => {
  for (const spec of catalog.events) {
    const event = structuredClone(spec.examples[0]);
    const schema = perEvent.get(spec.name);
    for (const field of spec.fields) {
      const copy = structuredClone(event);
      if (field.required && field.privacy !== 'secret') {
        delete copy.payload[field.name];
        assert.equal(schema(copy), false, `${spec.name}: missing ${field.name} accepted`);
      }
      if (field.enum) {
        const copy2 = structuredClone(event);
        copy2.payload[field.name] = 'not-a-listed-value';
        assert.equal(schema(copy2), false, `${spec.name}: ${field.name} enum not enforced`);
      }
      if (field.privacy === 'secret') {
        const copy3 = structuredClone(event);
        copy3.payload[field.name] = 'sk_live_123';
        assert.equal(schema(copy3), false, `${spec.name}: secret ${field.name} accepted`);
        assert.ok(msgeventsErrors(copy3).length > 0);
      }
    }
  }
  const mapped = structuredClone(catalog.events.find((e) => e.name === 'ChannelMapped').examples[0]);
  const phone = { ...mapped, payload: { ...mapped.payload, kind: 'phone', address: '020 7946 0123' } };
  assert.equal(perEvent.get('ChannelMapped')(phone), false, 'a phone address that is not E.164 was accepted');
  assert.ok(msgeventsErrors(phone).includes('payload.format'));
  const email = { ...mapped, payload: { ...mapped.payload, kind: 'email', address: 'Support@Example.com' } };
  assert.equal(perEvent.get('ChannelMapped')(email), false, 'an e-mail address in upper case was accepted');
  assert.ok(msgeventsErrors(email).includes('payload.format'));
});

test('redacted events pass the schemas; the public-profile schemas require the redaction', () => {
  const dir = mkdtempSync(join(tmpdir(), 'msgevents-interop-'));
  const keyFile = join(dir, 'key');
  writeFileSync(keyFile, 'interop-test-key');
  const ndjson = examples.map((x) => JSON.stringify(x.event)).join('\n') + '\n';
  const redacted = spawnSync(cli, ['redact', '--key-file', keyFile, '-'], { input: ndjson, encoding: 'utf8' });
  assert.equal(redacted.status, 0, redacted.stderr);
  const events = redacted.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(events.length, examples.length);
  const publicAjv = newAjv();
  const publicSchemas = new Map(catalog.events.map((e) => [e.name, publicAjv.compile(runJson('schema', '--profile', 'public', e.name))]));
  let withPii = 0;
  events.forEach((event, i) => {
    const { name, event: original } = examples[i];
    assert.ok(perEvent.get(name)(event), `${name} redacted: ${JSON.stringify(perEvent.get(name).errors)}`);
    assert.ok(publicSchemas.get(name)(event), `${name} redacted, public: ${JSON.stringify(publicSchemas.get(name).errors)}`);
    const piiFields = catalog.events.find((e) => e.name === name).fields.filter((f) => f.privacy === 'pii' && original.payload[f.name] !== undefined);
    if (piiFields.length > 0) {
      ++withPii;
      assert.equal(publicSchemas.get(name)(original), false, `${name}: personal data in clear passed the public schema`);
      assert.ok(msgeventsErrors(original, '--profile', 'public').includes('privacy.pii_in_public'));
    }
  });
  assert.ok(withPii >= 2, 'the catalog examples carry personal data to redact');
});

test('unknown fields: allowed by the default schemas (msgevents warns), rejected by the strict ones', () => {
  const event = structuredClone(examples[0].event);
  event.priority = 'high';
  event.payload.colour = 'blue';
  assert.equal(perEvent.get(examples[0].name)(event), true);
  assert.equal(strictPerEvent.get(examples[0].name)(event), false);
  assert.deepEqual(msgeventsErrors(event), []);
  assert.ok(msgeventsErrors(event, '--strict').length >= 2);
});

test('msgevents checks what JSON Schema cannot', () => {
  // Each of these passes the schema (JSON Schema cannot say it) and fails msgevents.
  const base = structuredClone(catalog.events.find((e) => e.name === 'CustomerUpdated').examples[0]);
  const cases = [
    ['aggregate_id differs from the payload id', (e) => { e.aggregate_id = 'cus_someone_else'; }],
    ['actor.id is an e-mail address', (e) => { e.actor.id = 'alice@example.com'; }],
    ['aggregate_id looks like a phone number', (e) => { e.aggregate_id = '+442079460123'; e.payload.customer_id = '+442079460123'; }],
  ];
  for (const [what, breakIt] of cases) {
    const copy = structuredClone(base);
    breakIt(copy);
    assert.equal(perEvent.get('CustomerUpdated')(copy), true, `${what}: the schema is expected to accept it`);
    assert.ok(msgeventsErrors(copy).length > 0, `${what}: msgevents is expected to reject it`);
  }
  // Duplicate keys never reach a JSON Schema validator: JSON.parse keeps the last one.
  const text = JSON.stringify(base).replace('"version":', '"version":1,"version":');
  const dup = spawnSync(cli, ['validate', '--format', 'json', '-'], { input: text, encoding: 'utf8' });
  assert.equal(dup.status, 1);
  assert.equal(bundle(JSON.parse(text)), true);
});

test('the cloudevents SDK accepts every converted example', () => {
  const ndjson = examples.map((x) => JSON.stringify(x.event)).join('\n') + '\n';
  const converted = spawnSync(cli, ['cloudevent', '-'], { input: ndjson, encoding: 'utf8' });
  assert.equal(converted.status, 0, converted.stderr);
  const lines = converted.stdout.trim().split('\n');
  assert.equal(lines.length, examples.length);
  lines.forEach((line, i) => {
    const attributes = JSON.parse(line);
    const { event } = examples[i];
    const ce = new CloudEvent(attributes); // strict: throws a ValidationError on a bad event
    assert.equal(ce.validate(), true);
    assert.equal(ce.specversion, '1.0');
    assert.equal(ce.id, event.event_id);
    assert.equal(ce.type, `msgevents.${event.event_name}`);
    assert.equal(ce.source, `/msgevents/${event.aggregate_type}`);
    assert.equal(ce.subject, event.aggregate_id);
    assert.equal(ce.aggregateversion, String(event.version));
    assert.deepEqual(ce.data, event.payload);
  });
  // The batch form: a JSON array in, a JSON array of CloudEvents out.
  const batch = spawnSync(cli, ['cloudevent', '-'], { input: JSON.stringify(examples.map((x) => x.event)), encoding: 'utf8' });
  assert.equal(batch.status, 0, batch.stderr);
  assert.equal(JSON.parse(batch.stdout).length, examples.length);
  // Something that is not an event: exit 1 and a reason.
  const bad = spawnSync(cli, ['cloudevent', '-'], { input: '[1]', encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /event 0: the input is not a JSON object/);
});

test('the AsyncAPI document has every event as a message, payload schema and examples included', () => {
  const doc = runJson('asyncapi');
  assert.equal(doc.asyncapi, '3.0.0');
  assert.equal(doc.info.version, catalog.catalog_version);
  assert.deepEqual(Object.keys(doc.components.messages).sort(), catalog.events.map((e) => e.name).sort());
  const resolve = (ref) => ref.slice(2).split('/').reduce((node, key) => node?.[key], doc);
  const messageAjv = newAjv();
  for (const spec of catalog.events) {
    const message = doc.components.messages[spec.name];
    const validate = messageAjv.compile(message.payload);
    assert.equal(message.examples.length, spec.examples.length);
    for (const example of message.examples) assert.ok(validate(example.payload), `${spec.name}: ${JSON.stringify(validate.errors)}`);
    const channel = doc.channels[spec.aggregate.toLowerCase()];
    assert.equal(resolve(channel.messages[spec.name].$ref), message);
  }
  for (const [name, operation] of Object.entries(doc.operations)) {
    assert.equal(operation.action, 'send', name);
    assert.ok(resolve(operation.channel.$ref), `${name}: dangling channel`);
    for (const ref of operation.messages) assert.ok(resolve(ref.$ref), `${name}: dangling ${ref.$ref}`);
  }
});

test('the AsyncAPI document is valid against the official AsyncAPI 3.0.0 schema', async (t) => {
  // @asyncapi/specs holds the specification's own JSON Schema (draft-07). It is a dev dependency
  // the project may not have installed yet; without it this check is skipped, saying so.
  let specs;
  try {
    specs = (await import('@asyncapi/specs')).default;
  } catch {
    t.skip('@asyncapi/specs is not installed (npm install --save-dev @asyncapi/specs)');
    return;
  }
  const Ajv = (await import('ajv')).default;
  // The bundled schema embeds the draft-07 meta-schema, so ajv must not add its own.
  const ajv07 = new Ajv({ allErrors: true, strict: false, meta: false, validateSchema: false });
  addFormats(ajv07);
  const validate = ajv07.compile(specs.schemas['3.0.0']);
  const doc = runJson('asyncapi');
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5)));
  doc.operations[Object.keys(doc.operations)[0]].action = 'publish'; // AsyncAPI 2's word: not 3.0
  assert.equal(validate(doc), false);
});

test('compat: the catalog keeps the change policy against every release (backward, transitive)', () => {
  const releases = readdirSync(join(repoRoot, 'src/catalog/releases')).filter((f) => f.endsWith('.json'));
  const result = spawnSync(cli, ['compat', '--mode', 'backward', '--transitive', '--format', 'json', '--releases',
    join(repoRoot, 'src/catalog/releases'), join(repoRoot, 'src/catalog/catalog.json')], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout);
  const report = JSON.parse(result.stdout);
  assert.equal(report.ok, true);
  assert.equal(report.comparisons.length, releases.length);
});

test('the package exports the same schemas and CloudEvents as the CLI', async (t) => {
  if (!process.env.MSGEVENTS_TEST_PROJECT && !existsSync(join(repoRoot, 'npm/dist/msgevents_wasm.wasm'))) {
    t.skip('npm/dist is not built (scripts/build-wasm.sh); scripts/test.d/20-npm-package.sh runs this with the package');
    return;
  }
  const { createValidator } = await importPackage();
  const v = await createValidator();
  assert.deepEqual(await v.jsonSchema('ContactCreated'), runJson('schema', 'ContactCreated'));
  assert.deepEqual(await v.jsonSchema(), runJson('schema'));
  if (typeof v.asyncapi === 'function') assert.deepEqual(await v.asyncapi(), runJson('asyncapi'));
  if (typeof v.toCloudEvent === 'function') {
    const event = examples[0].event;
    const fromCli = JSON.parse(spawnSync(cli, ['cloudevent', '-'], { input: JSON.stringify(event), encoding: 'utf8' }).stdout);
    assert.deepEqual(await v.toCloudEvent(event), fromCli);
    assert.equal(new CloudEvent(await v.toCloudEvent(event)).validate(), true);
    await assert.rejects(v.toCloudEvent('[1]'), /not a JSON object/);
  }
  if (typeof v.compat === 'function') {
    // The docs site's compare page: the same report as `msgevents compat --format json`.
    const changed = structuredClone(catalog);
    const created = changed.events.find((e) => e.name === 'CustomerCreated');
    created.fields = created.fields.filter((f) => f.required || f.name !== created.fields.find((g) => !g.required).name);
    const dir = mkdtempSync(join(tmpdir(), 'msgevents-compat-'));
    writeFileSync(join(dir, 'old.json'), JSON.stringify(catalog));
    writeFileSync(join(dir, 'new.json'), JSON.stringify(changed));
    const fromCli = spawnSync(cli, ['compat', '--format', 'json', join(dir, 'old.json'), join(dir, 'new.json')], { encoding: 'utf8' });
    assert.equal(fromCli.status, 1);
    const report = await v.compat(catalog, changed);
    assert.deepEqual(report, JSON.parse(fromCli.stdout));
    assert.equal(report.ok, false);
    assert.equal(report.events.find((e) => e.name === 'CustomerCreated').changes[0].kind, 'field.removed_optional');
    assert.equal((await v.compat(catalog, catalog)).ok, true);
    // The modes: an enum value added, with its MINOR bump, is backward- but not forward-compatible.
    const widened = structuredClone(catalog);
    const mapped = widened.events.find((e) => e.name === 'ChannelMapped');
    mapped.fields.find((f) => f.name === 'kind').enum.push('whatsapp');
    mapped.schema_version = '1.1';
    writeFileSync(join(dir, 'widened.json'), JSON.stringify(widened));
    for (const mode of ['backward', 'forward', 'full', 'none']) {
      const cliReport = spawnSync(cli, ['compat', '--format', 'json', '--mode', mode, join(dir, 'old.json'), join(dir, 'widened.json')], { encoding: 'utf8' });
      const fromPackage = await v.compat(catalog, widened, { mode });
      assert.deepEqual(fromPackage, JSON.parse(cliReport.stdout), mode);
      assert.equal(fromPackage.ok, mode === 'backward' || mode === 'none', mode);
    }
    assert.equal((await v.compat(catalog, changed, { strictConsumers: true })).events.find((e) => e.name === 'CustomerCreated').compatibility, 'breaking');
    await assert.rejects(v.compat(catalog, catalog, { mode: 'sideways' }), /compat: options\.mode: expected one of "backward"/);
    await assert.rejects(v.compat(catalog, catalog, { modes: 'full' }), /unknown option "modes"/);
    const policy = spawnSync(cli, ['compat', '--policy', '--format', 'json'], { encoding: 'utf8' });
    assert.deepEqual(await v.compatPolicy(), JSON.parse(policy.stdout));
  }
});
