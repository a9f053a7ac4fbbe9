// The site's rendering code in Node, where scripts/build-site.mjs runs it: markup values become
// escaped HTML (catalog text can hold markup), old #/ links map onto the new pages, byte counts
// share one unit, and a redacted download keeps its input's format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { h, render, inline, raw } from '../../web/src/html.mjs';
import { legacy_target } from '../../web/src/routes.mjs';
import { format_bytes } from '../../web/src/dom.mjs';
import { redacted_file } from '../../web/src/validator_page.mjs';
import { search_documents } from '../../web/src/docs.mjs';
import { ROOT, SITE } from './site/harness.mjs';

test('text and attribute values are escaped; only raw() puts markup in', () => {
  assert.equal(render(h('p', { title: 'a "b" <c>' }, '<script>x</script> & y')), '<p title="a &quot;b&quot; &lt;c&gt;">&lt;script&gt;x&lt;/script&gt; &amp; y</p>');
  assert.equal(render(h('input', { type: 'checkbox', checked: true, disabled: false, hidden: null })), '<input type="checkbox" checked>');
  assert.equal(render(h('ul', {}, [h('li', {}, 1), null, false, [h('li', {}, 2)]])), '<ul><li>1</li><li>2</li></ul>');
  assert.equal(render(h('p', {}, inline('the `<b>` field'))), '<p>the <code>&lt;b&gt;</code> field</p>');
  assert.equal(render(raw('<i>ok</i>')), '<i>ok</i>');
  assert.throws(() => render(h('p', { 'on"x': 1 })), /bad attribute name/);
});

test('old hash routes go to the pages that replaced them', () => {
  assert.equal(legacy_target('#/catalog'), 'catalog/');
  assert.equal(legacy_target('#/event/ChannelMapped'), 'event/ChannelMapped/');
  assert.equal(legacy_target('#/aggregate/Conversation'), 'aggregate/Conversation/');
  assert.equal(legacy_target('#/checklist/payload.required'), 'checklist/#payload.required');
  assert.equal(legacy_target('#/checklist/category-Envelope'), 'checklist/#category-envelope');
  assert.equal(legacy_target('#/change-policy'), 'change-policy/');
  assert.equal(legacy_target('#/compat'), 'compat/');
  assert.equal(legacy_target('#/event/a%2F..%2Fb'), 'event/a%2F..%2Fb/');
  for (const stays of ['#/', '', '#main', '#/nope', '#/%E0%A4%A', null]) assert.equal(legacy_target(stays), null, String(stays));
});

test('"x of y" byte counts use one unit', () => {
  assert.equal(format_bytes(1006 * 1024 * 1024, 1024 ** 3), '0.98 GB');
  assert.equal(format_bytes(1024 ** 3), '1.00 GB');
  assert.equal(format_bytes(0, 100 * 1024 * 1024), '0.0 MB');
  assert.equal(format_bytes(512), '512 B');
  assert.equal(format_bytes(1536, 2 * 1024 * 1024), '0.0 MB');
});

test('a redacted download keeps its input\'s format and name', () => {
  assert.deepEqual(redacted_file('{"a":1}\n{"a":2}\n', null), { name: 'events.redacted.ndjson', type: 'application/x-ndjson' });
  assert.deepEqual(redacted_file('{\n  "a": 1\n}\n', null), { name: 'events.redacted.json', type: 'application/json' });
  assert.deepEqual(redacted_file('[{"a":1}]', 'export.json'), { name: 'export.redacted.json', type: 'application/json' });
  assert.deepEqual(redacted_file('{"a":1}\n{"a":2}', 'day.jsonl'), { name: 'day.redacted.ndjson', type: 'application/x-ndjson' });
});

test('the search index has every event, field, rule and decision, each with its anchor', () => {
  const catalog = JSON.parse(readFileSync(path.join(ROOT, 'src', 'catalog', 'catalog.json'), 'utf8'));
  const built = JSON.parse(readFileSync(path.join(SITE, 'search_index.json'), 'utf8'));
  const fields = catalog.events.reduce((n, e) => n + e.fields.length, 0);
  assert.equal(built.filter((d) => d.kind === 'Event').length, catalog.events.length);
  assert.equal(built.filter((d) => d.kind === 'Field').length, fields);
  assert.equal(built.filter((d) => d.kind === 'Decision').length, catalog.decisions.length);
  const field = built.find((d) => d.kind === 'Field' && d.context === 'CustomerCreated' && d.title === 'country_code');
  assert.equal(field.url, 'event/CustomerCreated/#field-country_code');
  const rule = built.find((d) => d.kind === 'Rule' && d.title === 'payload.required');
  assert.equal(rule.url, 'checklist/#payload.required');
  // Built from the same function the build calls.
  assert.deepEqual(search_documents({ catalog, rules: built.filter((d) => d.kind === 'Rule').map((d) => ({ code: d.title, title: '', explanation: '', category: '', severity: '' })) })
    .filter((d) => d.kind === 'Field').map((d) => d.url), built.filter((d) => d.kind === 'Field').map((d) => d.url));
});
