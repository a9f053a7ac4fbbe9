// redact() in the package: the same tokens as the native core (HMAC-SHA-256 under the caller's
// key), output that validates clean under the public profile, the rest of the text unchanged.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importPackage, packageDir } from './helpers/package.mjs';
import { example, examples, ndjson } from './helpers/events.mjs';

let pkg;
let v;

before(async () => {
  pkg = await importPackage();
  v = await pkg.createValidator();
});

const token = (key, value) => `redacted:${createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 32)}`;

test('redact() replaces each pii value by its keyed token and nothing else', () => {
  const channel = example(v, 'ChannelMapped');
  const contact = example(v, 'ContactCreated');
  contact.payload.display_name = 'Zoë Ünal 山田 🙂';
  const text = `${JSON.stringify(channel, null, 2)}\n${JSON.stringify(contact, null, 2)}\n`;
  const out = v.redact(text, { key: 'k3y' });
  const expected = text
    .replace(JSON.stringify(channel.payload.address), JSON.stringify(token('k3y', channel.payload.address)))
    .replace(JSON.stringify(contact.payload.display_name), JSON.stringify(token('k3y', contact.payload.display_name)));
  assert.equal(out, expected);
  assert.ok(!out.includes(channel.payload.address));
  assert.ok(!out.includes('山田'));
});

test('redacted examples validate with no privacy finding under the public profile', () => {
  const text = ndjson(examples(v));
  const before = v.validate(text, { profile: 'public' }).findings.filter((f) => f.code.startsWith('privacy.'));
  assert.ok(before.length > 0, 'the examples carry pii in clear');
  const after = v.validate(v.redact(text, { key: 'k' }), { profile: 'public' }).findings.filter((f) => f.code.startsWith('privacy.'));
  assert.deepEqual(after, []);
});

test('same key same token, another key or no key another token; internal keeps pii', () => {
  const text = JSON.stringify(example(v, 'ChannelMapped'));
  assert.equal(v.redact(text, { key: 'a' }), v.redact(text, { key: 'a' }));
  assert.notEqual(v.redact(text, { key: 'a' }), v.redact(text, { key: 'b' }));
  const random1 = v.redact(text);
  const random2 = v.redact(text);
  assert.match(random1, /"address":"redacted:[0-9a-f]{32}"/);
  assert.notEqual(random1, random2);
  assert.equal(v.redact(text, { key: 'a', profile: 'internal' }), text);
  assert.equal(v.redact('', { key: 'a' }), '');
  assert.throws(() => v.redact(text, { key: '' }), TypeError);
  assert.throws(() => v.redact(text, { profile: 'secret' }), RangeError);
  assert.throws(() => v.redact(new Uint8Array(3), { key: 'a' }), TypeError);
});

// ---- failing closed ---------------------------------------------------------------------------

const PLACEHOLDER = '"[event withheld by msgevents redact]"';

test('the lone surrogate of issue 10: the personal data never leaves redact() in clear', () => {
  // A raw '\uD800' right before a closing quote, in an event with a pii field. The old string
  // conversion swallowed the quote, the event no longer parsed, and it was passed through.
  const contact = example(v, 'ContactCreated');
  contact.payload.display_name = 'Alex Private';
  contact.payload.locale = 'LONE';
  const text = JSON.stringify(contact).replace('"LONE"', '"en\uD800"');
  assert.ok(text.includes('\uD800"'));
  const { text: out, findings } = v.redact(text, { key: 'k', withFindings: true });
  assert.ok(!out.includes('Alex Private'), out);
  assert.deepEqual(findings, []);
  assert.ok(out.includes(JSON.stringify(token('k', 'Alex Private'))), out);
  assert.ok(out.includes('"locale":"en\uFFFD"'), 'the rest as validate() reads it: U+FFFD');
  // validate() and redact() read the same text: the event validates as one event, the redacted
  // output without a privacy finding.
  assert.equal(v.validate(text).summary.events, 1);
  assert.deepEqual(v.validate(text).findings, v.validate(new TextEncoder().encode(text)).findings);
  assert.deepEqual(v.validate(out, { profile: 'public' }).findings.filter((f) => f.code.startsWith('privacy.')), []);
  // In the pii value itself: the token is the HMAC of the value with U+FFFD.
  const inValue = JSON.stringify(contact).replace('"Alex Private"', '"Alex Private\uD800"');
  assert.equal(v.redact(inValue, { key: 'k' }), JSON.stringify(contact).replace('"Alex Private"', JSON.stringify(token('k', 'Alex Private\uFFFD'))));
});

test('an event redact() cannot read is withheld, never passed through, and said so', () => {
  const good = example(v, 'ChannelMapped');
  const secret = '+447700900461';
  const broken = JSON.stringify({ ...good, payload: { ...good.payload, address: secret } }).slice(0, -1); // no closing brace
  const unknown = JSON.stringify({ event_name: 'ChannelMappedV2', payload: { address: secret } });
  const nested = JSON.stringify([{ ...good, payload: { ...good.payload, address: secret } }]);
  const text = `${JSON.stringify(good)}\n${broken}\n${unknown}\n${nested}\n${JSON.stringify(good)}\n`;
  const { text: out, findings } = v.redact(text, { key: 'k', withFindings: true });
  const redactedGood = v.redact(JSON.stringify(good), { key: 'k' });
  assert.equal(out, `${redactedGood}\n${PLACEHOLDER}\n${PLACEHOLDER}\n${PLACEHOLDER}\n${redactedGood}\n`);
  assert.ok(!out.includes(secret));
  assert.deepEqual(findings.map((f) => [f.code, f.severity, f.line, f.column, f.event_index, f.pointer]), [
    ['redact.withheld', 'error', 2, 1, 1, ''],
    ['redact.withheld', 'error', 3, 1, 2, ''],
    ['redact.withheld', 'error', 4, 1, 3, ''],
  ]);
  assert.match(findings[0].message, /^event withheld: it cannot be read \(json\.syntax at line 2, column \d+: .+\); none of its bytes are written$/);
  assert.match(findings[1].message, /its event_name is no event type of the catalog/);
  assert.match(findings[2].message, /it is an array, not a JSON object/);
  for (const f of findings) assert.ok(!f.message.includes(secret) && !f.message.includes('ChannelMappedV2'), f.message);
  // The validator agrees on which events they are.
  const report = v.validate(text);
  assert.ok(report.findings.some((f) => f.code === 'json.syntax' && f.event_index === 1));
  // Without withFindings the text alone, the same text; the internal profile reads the unknown type.
  assert.equal(v.redact(text, { key: 'k' }), out);
  const internal = v.redact(text, { key: 'k', profile: 'internal', withFindings: true });
  assert.deepEqual(internal.findings.map((f) => f.event_index), [1, 3]);
  // Limits are the caller's: an event over maxEventBytes, or deeper than maxDepth, is withheld.
  const small = v.redact(`${JSON.stringify(good)}\n`, { key: 'k', maxEventBytes: 100, withFindings: true });
  assert.equal(small.text, `${PLACEHOLDER}\n`);
  assert.match(small.findings[0].message, /more than the limit of 100 bytes/);
  const shallow = v.redact(JSON.stringify(good), { key: 'k', maxDepth: 1, withFindings: true });
  assert.equal(shallow.text, PLACEHOLDER);
  assert.match(shallow.findings[0].message, /json\.too_deep/);
});

test('a failure inside the module throws: redaction never returns its input', async () => {
  // The installed package's own module instance (the one its index.js imports), not exported.
  const { openRedaction } = await import(pathToFileURL(join(packageDir(), 'src/internal.js')).href);
  // The internal chunked redaction of the package's CLI: a call after finish() fails in the module
  // (it returns nothing and an error), and the wrapper throws instead of returning any text.
  const text = JSON.stringify(example(v, 'ChannelMapped'));
  const redaction = v[openRedaction]({}, 'k');
  const first = redaction.push(text);
  assert.ok(!first.text.includes(example(v, 'ChannelMapped').payload.address));
  redaction.finish();
  assert.throws(() => redaction.push(text), { name: 'MsgeventsError', message: /redact: the redaction is already finished/ });
  assert.throws(() => redaction.finish(), { name: 'MsgeventsError' });
  redaction.close();
  assert.throws(() => redaction.push(text), { name: 'MsgeventsError', message: /closed/ });
  // And the module still works.
  assert.match(v.redact(text, { key: 'k' }), /redacted:/);
});
