// redact() in the package: the same tokens as the native core (HMAC-SHA-256 under the caller's
// key), output that validates clean under the public profile, the rest of the text unchanged.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { importPackage } from './helpers/package.mjs';
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
