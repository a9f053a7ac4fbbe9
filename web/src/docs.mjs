// The catalog docs, generated from the catalog the npm package carries (v.catalog), its rule
// registry (v.rules()), checklist, JSON Schemas and CloudEvents mapping, and the change-policy
// checker's reports (msgevents compat): nothing here restates the catalog by hand.
//
// scripts/build-site.mjs calls docs_pages(data) at build time and writes each page as static HTML
// (readable without JavaScript, nothing to load before it shows); the same functions render the
// in-page compare report (compat_report) from a pasted catalog. Every page is a folder with an
// index.html, and every link is relative, so the site works from any folder of any static host.
//
//   data = { catalog, rules, checklist, schemas: {event: schema}, schema_bundle,
//            cloudevents: {event: [CloudEvent]}, asyncapi: bool, compat, version,
//            releases: [{ version, catalog }] }
import { h, inline, render } from './html.mjs';
import { state_diagram } from './diagram.mjs';

// The site's main navigation: [path from the site's root, key, label].
export const NAV = [
  ['', 'validator', 'Validator'],
  ['catalog/', 'catalog', 'Catalog'],
  ['envelope/', 'envelope', 'Envelope rules'],
  ['checklist/', 'checklist', 'Checklist'],
  ['change-policy/', 'change-policy', 'Change policy'],
  ['compat/', 'compat', 'Compare catalogs'],
  ['versions/', 'versions', 'Versions'],
];

// Where every generated file lives, from the site's root: one place for the pages, their links,
// the downloads and the search index.
export const PATHS = {
  catalog: 'catalog/',
  event: (name) => `event/${encodeURIComponent(name)}/`,
  aggregate: (name) => `aggregate/${encodeURIComponent(name)}/`,
  rule: (code) => `checklist/#${encodeURIComponent(code)}`,
  field_anchor: (name) => `field-${name}`,
  schema_file: (name) => `downloads/${encodeURIComponent(name)}.schema.json`,
  example_file: (name, i) => `downloads/${encodeURIComponent(name)}.example${i + 1}.json`,
  catalog_file: 'downloads/msgevents-catalog.json',
  bundle_file: 'downloads/msgevents.schema.json',
  asyncapi_file: 'downloads/msgevents.asyncapi.json',
  checklist_file: 'downloads/msgevents-checklist.md',
  release_file: (v) => `releases/${encodeURIComponent(v)}.json`,
  version: (v) => `versions/${encodeURIComponent(v)}/`,
};

// Links from one page: `root` is the way back to the site's root ('../../'), `base` the catalog
// tree the page belongs to ('' for the current catalog, 'versions/1.0.0/' for a release).
function links(root, base = '') {
  return {
    root,
    page: (p) => root + p,
    event: (name) => root + base + PATHS.event(name),
    aggregate: (name) => root + base + PATHS.aggregate(name),
    catalog: () => root + base + PATHS.catalog,
    rule: (code) => root + PATHS.rule(code),
  };
}

const slug = (text) => String(text).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function heading(text) {
  return h('h1', { tabindex: '-1' }, text);
}

function list(items, cls, id_of) {
  if (!items || !items.length) return h('p', { class: 'muted' }, 'None.');
  return h('ul', { class: cls }, items.map((t, i) => h('li', { id: id_of ? id_of(i) : null }, inline(t))));
}

// A table; cells get their column's name as data-label, so that a `stack` table can show each row
// as a card on a phone (style.css). The wrapper scrolls sideways on its own, so it can take focus.
function table(head, rows, cls, label) {
  for (const tr of rows.flat(Infinity)) {
    tr.children.forEach((cell, i) => {
      if (cell.attrs && !cell.attrs['data-label'] && head[i]) cell.attrs['data-label'] = head[i];
    });
  }
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label || `${head.join(', ')} table` },
    h('table', { class: cls }, h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows)),
  );
}

// A copy button for the text of the element `target` (docs_page.mjs does the copying; without
// JavaScript the button is not shown, style.css `.needs-js`).
function copy_button(target, what) {
  return h('button', { type: 'button', class: 'copy needs-js', 'data-copy': target, 'aria-label': `Copy ${what}` }, 'Copy');
}

function download_link(href, filename, text, cls) {
  return h('a', { class: `button ${cls || ''}`.trim(), href, download: filename }, text);
}

// ---- the index ----------------------------------------------------------------------------

function catalog_page(L, data) {
  const { catalog } = data;
  const events_of = (agg) => catalog.events.filter((e) => e.aggregate === agg.name);
  const body = [
    data.release ? release_banner(L, data) : null,
    heading(catalog.title || 'Event catalog'),
    h('p', { class: 'lead' }, inline(catalog.description)),
    h('p', { class: 'muted' }, `Catalog version ${catalog.catalog_version} · ${catalog.aggregates.length} aggregates · ${catalog.events.length} event types`),
    data.release
      ? h('p', { class: 'downloads' }, download_link(L.page(PATHS.release_file(data.release)), `msgevents-catalog-${data.release}.json`, `Download catalog ${data.release} (JSON)`, 'catalog-download'))
      : [
          h('nav', { 'aria-label': 'Catalog pages', class: 'pill-nav' },
            h('a', { href: L.page('envelope/') }, 'Envelope rules'),
            h('a', { href: L.page('checklist/') }, 'Validation checklist'),
            h('a', { href: L.page('change-policy/') }, 'Change policy'),
            h('a', { href: L.page('versions/') }, 'Versions')),
          h('p', { class: 'downloads' },
            download_link(L.page(PATHS.catalog_file), 'msgevents-catalog.json', 'Download the catalog (JSON)', 'catalog-download'),
            data.schema_bundle ? download_link(L.page(PATHS.bundle_file), 'msgevents.schema.json', 'Download all JSON Schemas (bundle)', 'bundle-download') : null,
            data.asyncapi ? download_link(L.page(PATHS.asyncapi_file), 'msgevents.asyncapi.json', 'Download the AsyncAPI 3.0 document', 'asyncapi-download') : null),
        ],
    h('h2', { id: 'aggregates' }, 'Aggregates'),
    h(
      'ul',
      { class: 'cards', id: 'aggregate-index' },
      catalog.aggregates.map((agg) =>
        h(
          'li',
          { class: 'card', 'data-aggregate': agg.name },
          h('h3', {}, h('a', { href: L.aggregate(agg.name) }, agg.name)),
          h('p', {}, inline(agg.description)),
          h('p', { class: 'muted' }, 'States: ', agg.states.join(' · ')),
          h('ul', { class: 'event-links' }, events_of(agg).map((e) => h('li', {}, h('a', { href: L.event(e.name) }, e.name)))),
        ),
      ),
    ),
    h('h2', { id: 'events' }, 'Event types'),
    table(
      ['Event', 'Aggregate', 'Schema', 'Purpose'],
      catalog.events.map((e) =>
        h(
          'tr',
          { 'data-event': e.name },
          h('td', {}, h('a', { href: L.event(e.name) }, e.name)),
          h('td', {}, h('a', { href: L.aggregate(e.aggregate) }, e.aggregate)),
          h('td', {}, e.schema_version),
          h('td', {}, inline(first_sentence(e.purpose))),
        ),
      ),
      'events-table stack',
      'Event types',
    ),
    h('h2', { id: 'decisions' }, 'Decisions'),
    h('dl', { class: 'decisions' }, (catalog.decisions || []).map((d) => [h('dt', { id: `decision-${slug(d.topic)}` }, d.topic), h('dd', {}, inline(d.text))])),
  ];
  return { title: data.release ? `Catalog ${data.release}` : 'Catalog', body };
}

// The first sentence: up to a full stop followed by a capital letter or the end, so that
// abbreviations such as "e.g." or "i.e." do not cut it short.
export function first_sentence(text) {
  const m = /^(.+?(?<!\be\.g|\bi\.e)[.!?])(\s+(?=[A-Z])|\s*$)/.exec(String(text || ''));
  return m ? m[1] : text;
}

function release_banner(L, data) {
  return h('p', { class: 'release-banner', role: 'note' },
    `You are reading the catalog as released in version ${data.release}. `,
    h('a', { href: L.page(PATHS.catalog) }, 'The current catalog'), ' · ',
    h('a', { href: L.page(`versions/#since-${slug(data.release)}`) }, `What changed since ${data.release}`));
}

// ---- an aggregate -------------------------------------------------------------------------

function aggregate_page(L, data, agg) {
  const { catalog } = data;
  const events = catalog.events.filter((e) => e.aggregate === agg.name);
  const body = [
    data.release ? release_banner(L, data) : null,
    h('p', { class: 'crumbs' }, h('a', { href: L.catalog() }, 'Catalog'), ' / Aggregate'),
    heading(`${agg.name}`),
    h('p', { class: 'lead' }, inline(agg.description)),
    h('p', {}, 'Identified by ', h('code', {}, agg.id_field), ', which the envelope’s ', h('code', {}, 'aggregate_id'), ' must equal.'),
    h('h2', { id: 'lifecycle' }, 'Lifecycle'),
    h('p', { class: 'diagram-hint', id: `diagram-hint-${slug(agg.name)}` }, 'The diagram is wider than the screen: scroll it sideways.'),
    h('figure', { class: 'diagram-box', tabindex: '0', 'aria-label': `${agg.name} lifecycle diagram (scrolls sideways when wider than the screen)` },
      h('div', { class: 'diagram-scroll' }, state_diagram(agg)),
      h('figcaption', {}, 'Arrows change the state; events listed inside a state (↻) keep it. The dot is the start: the aggregate does not exist yet.')),
    table(
      ['From', 'Event', 'To'],
      agg.transitions.map((t) =>
        h('tr', {}, h('td', {}, t.from || '(start)'), h('td', {}, h('a', { href: L.event(t.event) }, t.event)), h('td', {}, t.to)),
      ),
      'transitions stack',
      `${agg.name} transitions`,
    ),
    h('h2', { id: 'attributes' }, 'Attributes'),
    h('p', {}, 'What a ', h('code', {}, 'changed_fields'), ' list may name: ', agg.attributes.length ? agg.attributes.map((a, i) => [i ? ', ' : '', h('code', {}, a)]) : 'none', '.'),
    h('h2', { id: 'events' }, 'Events'),
    h('ul', {}, events.map((e) => h('li', {}, h('a', { href: L.event(e.name) }, e.name), ': ', inline(first_sentence(e.purpose))))),
  ];
  return { title: `${agg.name} aggregate`, body };
}

// ---- an event type ------------------------------------------------------------------------

function constraints(f) {
  const out = [];
  const code = (t) => h('code', {}, t);
  if (f.format) out.push(['format ', code(f.format)]);
  if (f.enum) out.push(['one of ', f.enum.map((v, i) => [i ? ', ' : '', code(v)])]);
  if (f.min_length !== undefined || f.max_length !== undefined) out.push([length_text(f.min_length, f.max_length, 'characters')]);
  if (f.minimum !== undefined) out.push([`≥ ${f.minimum}`]);
  if (f.maximum !== undefined) out.push([`≤ ${f.maximum}`]);
  if (f.items) {
    const it = f.items;
    const parts = [`items: ${it.type || 'any'}`];
    if (it.format) parts.push(', format ', code(it.format));
    if (it.enum) parts.push(', one of ', it.enum.map((v, i) => [i ? ', ' : '', code(v)]));
    if (it.aggregate_attributes) parts.push(', each an attribute of the aggregate');
    out.push(parts);
  }
  if (f.min_items !== undefined || f.max_items !== undefined) out.push([length_text(f.min_items, f.max_items, 'items')]);
  if (f.unique_items) out.push(['no duplicate items']);
  if (f.free_text) out.push(['free text, scanned for e-mail addresses and phone numbers']);
  if (!out.length) return '—';
  return h('ul', { class: 'constraints' }, out.map((c) => h('li', {}, c)));
}

function length_text(min, max, unit) {
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min} ${unit}` : `${min}–${max} ${unit}`;
  if (min !== undefined) return `at least ${min} ${unit}`;
  return `at most ${max} ${unit}`;
}

export function example_text(ex) {
  return typeof ex === 'string' ? ex : JSON.stringify(ex, null, 2);
}

// A block of code with a caption, an id for its copy button and a label for readers.
function code_block(id, caption, text, extra) {
  return h('figure', { class: 'code-block' },
    h('figcaption', {}, h('span', { class: 'code-label', id: `${id}-label` }, caption), copy_button(id, caption), extra),
    h('pre', { id, tabindex: '0', 'aria-labelledby': `${id}-label` }, h('code', {}, text)));
}

function event_page(L, data, ev) {
  const d = ev.delivery || {};
  const schema = data.schemas && data.schemas[ev.name];
  const cloud = data.cloudevents && data.cloudevents[ev.name];
  const examples = ev.examples || [];
  const history = data.history && data.history[ev.name];
  const body = [
    data.release ? release_banner(L, data) : null,
    h('p', { class: 'crumbs' }, h('a', { href: L.catalog() }, 'Catalog'), ' / ', h('a', { href: L.aggregate(ev.aggregate) }, ev.aggregate), ' / Event'),
    heading(ev.name),
    h(
      'p',
      { class: 'badges' },
      h('span', { class: 'badge' }, `schema ${ev.schema_version}`),
      h('span', { class: 'badge' }, `aggregate ${ev.aggregate}`),
      ev.creates ? h('span', { class: 'badge accent' }, 'creates the aggregate (version 1)') : null,
    ),
    h('nav', { class: 'pill-nav on-page', 'aria-label': 'On this page' },
      [['fields', 'Fields'], ['invariants', 'Invariants'], ['delivery', 'Delivery'], ['examples', examples.length > 1 ? 'Examples' : 'Example'],
        schema ? ['schema', 'JSON Schema'] : null, history ? ['history', 'History'] : null]
        .filter(Boolean).map(([id, text]) => h('a', { href: `#${id}` }, text))),
    h('h2', { id: 'purpose' }, 'Purpose'),
    h('p', { class: 'lead' }, inline(ev.purpose)),
    h('h2', { id: 'fields' }, 'Payload fields'),
    h('p', { class: 'muted' }, 'Inside the envelope’s ', h('code', {}, 'payload'), '. The ', h('a', { href: L.page('envelope/') }, 'envelope rules'), ' apply to every event.'),
    table(
      ['Field', 'Type', 'Required', 'Privacy', 'Constraints', 'Description'],
      ev.fields.map((f) =>
        h(
          'tr',
          { 'data-field': f.name, id: PATHS.field_anchor(f.name) },
          h('th', { scope: 'row' }, h('code', {}, f.name)),
          h('td', { 'data-label': 'Type' }, f.type === 'array' && f.items ? `array of ${f.items.type}` : f.type),
          h('td', { 'data-label': 'Required' }, f.required ? 'required' : 'optional'),
          h('td', { 'data-label': 'Privacy' }, h('span', { class: `privacy privacy-${f.privacy}` }, f.privacy)),
          h('td', { 'data-label': 'Constraints' }, constraints(f)),
          h('td', { 'data-label': 'Description' }, inline(String(f.description || '').trim())),
        ),
      ),
      'fields stack',
      `${ev.name} payload fields`,
    ),
    h('h2', { id: 'invariants' }, 'Invariants'),
    list(ev.invariants, 'invariants', (i) => `invariant-${i + 1}`),
    h('h2', { id: 'preconditions' }, 'Preconditions'),
    list(ev.preconditions),
    h('h2', { id: 'postconditions' }, 'Postconditions'),
    list(ev.postconditions),
    h('h2', { id: 'traceability' }, 'Traceability'),
    list(ev.traceability),
    h('h2', { id: 'delivery' }, 'Delivery'),
    h(
      'dl',
      { class: 'delivery' },
      h('dt', {}, 'Ordering key'),
      h('dd', {}, inline(d.ordering_key || '—')),
      h('dt', {}, 'Idempotency key'),
      h('dd', {}, inline(d.idempotency_key || '—')),
      h('dt', {}, 'Duplicates'),
      h('dd', {}, inline(d.duplicates || '—')),
    ),
    h('h2', { id: 'examples' }, examples.length > 1 ? 'Examples' : 'Example'),
    examples.map((ex, i) => {
      const text = example_text(ex);
      const ce = cloud && cloud[i];
      const n = examples.length > 1 ? ` ${i + 1}` : '';
      return h(
        'div',
        { class: 'example', id: `example-${i + 1}` },
        code_block(`example-${i + 1}-json`, `Example${n}: a valid ${ev.name} event (JSON)`, text, [
          data.release ? null : h('a', { class: 'button primary validate-this', href: `${L.root}?example=${encodeURIComponent(`${ev.name}#${i}`)}` }, 'Validate this'),
          data.release ? null : download_link(L.page(PATHS.example_file(ev.name, i)), `${ev.name}.example${i + 1}.json`, 'Download', 'example-download'),
        ]),
        ce
          ? h('details', { class: 'cloudevent' },
              h('summary', {}, `Example${n} as a CloudEvent 1.0`),
              code_block(`example-${i + 1}-cloudevent`, `Example${n} of ${ev.name} as a CloudEvent (structured mode, JSON)`, JSON.stringify(ce, null, 2)))
          : null,
      );
    }),
    schema
      ? [
          h('h2', { id: 'schema' }, 'JSON Schema'),
          h('p', {}, 'The envelope and this payload as JSON Schema (draft 2020-12). What JSON Schema cannot say (ULID, E.164, cross-field rules) msgevents checks itself.'),
          h('p', { class: 'downloads' },
            download_link(L.page(PATHS.schema_file(ev.name)), `${ev.name}.schema.json`, `Download ${ev.name}.schema.json`, 'schema-download'),
            data.asyncapi ? download_link(L.page(PATHS.asyncapi_file), 'msgevents.asyncapi.json', 'Download the AsyncAPI 3.0 document (every event)', 'asyncapi-download') : null),
          h('details', { class: 'schema-inline' },
            h('summary', {}, `Show the JSON Schema of ${ev.name}`),
            code_block('schema-json', `${ev.name}.schema.json`, JSON.stringify(schema, null, 2))),
        ]
      : null,
    history ? history_section(L, ev, history) : null,
  ];
  return { title: data.release ? `${ev.name} (catalog ${data.release})` : ev.name, body };
}

// The event's history, release by release, as the change-policy checker classified it.
function history_section(L, ev, steps) {
  return [
    h('h2', { id: 'history' }, 'History'),
    h('p', { class: 'muted' }, 'What changed in each release, as ', h('code', {}, 'msgevents compat'), ' classifies it under the ', h('a', { href: L.page('change-policy/') }, 'change policy'), '.'),
    h('ol', { class: 'history' }, steps.map((s) => h('li', { 'data-old': s.old, 'data-new': s.new, 'data-status': s.entry ? s.entry.status : 'absent' },
      h('strong', {}, `${s.old} → ${s.new === 'current' ? 'current' : s.new}`), ': ',
      s.entry ? change_summary(s.entry) : 'not in either catalog.',
      s.entry && (s.entry.changes || []).length ? change_list(s.entry.changes) : null))),
  ];
}

function change_summary(e) {
  const versions = e.old_version && e.new_version && e.old_version !== e.new_version ? ` (schema ${e.old_version} → ${e.new_version})` : '';
  const kind = e.compatibility && e.compatibility !== 'none' ? `, ${e.compatibility}` : '';
  return `${e.status}${versions}${kind}${e.verdict ? `: ${e.verdict}` : ''}`;
}

function change_list(changes) {
  return h('ul', { class: 'changes' }, changes.map((x) => h('li', {}, h('code', {}, x.kind), x.field ? [' ', h('code', {}, x.field)] : null, ` (${x.compatibility}): ${x.detail}`)));
}

// ---- envelope, checklist, change policy ---------------------------------------------------

function envelope_page(L, { catalog, rules }) {
  const env_rules = (rules || []).filter((r) => r.category === 'Envelope');
  const body = [
    heading('Envelope rules'),
    h('p', { class: 'lead' }, 'Every event is one JSON object: these envelope fields around the event type’s own ', h('code', {}, 'payload'), '.'),
    table(
      ['Field', 'Type', 'Required', 'Rule'],
      catalog.envelope.map((f) =>
        h(
          'tr',
          { 'data-field': f.name, id: PATHS.field_anchor(f.name) },
          h('th', { scope: 'row' }, h('code', {}, f.name)),
          h('td', {}, f.type),
          h('td', {}, f.required ? 'required' : 'optional'),
          h('td', {}, inline(f.description)),
        ),
      ),
      'envelope stack',
      'Envelope fields',
    ),
    env_rules.length
      ? [
          h('h2', { id: 'checks' }, 'What the validator checks'),
          h('ul', { class: 'rule-list' }, env_rules.map((r) => h('li', {}, h('a', { href: L.rule(r.code), class: 'code' }, r.code), ' ', h('span', { class: `sev sev-${r.severity}` }, r.severity), ' ', r.title))),
          h('p', {}, 'Full explanations are in the ', h('a', { href: L.page('checklist/') }, 'validation checklist'), '.'),
        ]
      : null,
  ];
  return { title: 'Envelope rules', body };
}

function escalation_text(e) {
  if (!e || e === 'none') return null;
  if (e === 'strict') return 'an error in strict mode';
  if (e === 'public_profile' || e === 'public') return 'an error in the public profile';
  return `escalated: ${e}`;
}

function checklist_page(L, { rules }) {
  const categories = [];
  for (const r of rules) if (!categories.includes(r.category)) categories.push(r.category);
  const body = [
    heading('Validation checklist'),
    h('p', { class: 'lead' }, 'Every finding the validator can report, with its stable code and default severity. The checklist is generated from the validator’s rule registry, so the two cannot disagree; it can be applied to any event by hand.'),
    h('p', { class: 'downloads' }, download_link(L.page(PATHS.checklist_file), 'msgevents-checklist.md', 'Download the checklist (Markdown)', 'checklist-download')),
    h('nav', { class: 'pill-nav', 'aria-label': 'Rule categories' }, categories.map((c) => h('a', { href: `#category-${slug(c)}` }, c))),
    categories.map((c) => {
      const in_cat = rules.filter((r) => r.category === c);
      return [
        h('h2', { id: `category-${slug(c)}`, tabindex: '-1' }, `${c} (${in_cat.length})`),
        h('ol', { class: 'rules' },
          in_cat.map((r) =>
            h('li', { class: 'rule', id: r.code, tabindex: '-1', 'data-code': r.code },
              h('h3', {}, h('code', {}, r.code), ' ', h('span', { class: `sev sev-${r.severity}` }, r.severity)),
              h('p', { class: 'rule-title' }, inline(r.title)),
              h('p', {}, inline(r.explanation)),
              escalation_text(r.escalation) ? h('p', { class: 'muted' }, `Becomes ${escalation_text(r.escalation)}.`) : null))),
      ];
    }),
  ];
  return { title: 'Validation checklist', body };
}

// The policy table of the core (`msgevents compat --policy --format json`, written into
// compat_data.mjs at build time): each kind of change against each compatibility mode, its verdict
// and the bump it needs, for tolerant consumers and, where they differ, strict ones.
export function policy_table(policy) {
  if (!policy || !policy.rows) return h('p', { class: 'status' }, 'This build of the site was made without the native CLI, so the policy table is missing.');
  const modes = policy.modes.map((m) => m.name);
  const bump_text = { none: 'no bump', minor: 'MINOR', major: 'MAJOR', new_event_name: 'new event name' };
  const cell_text = (v) => (v.compatibility === 'docs' ? 'compatible, no bump' : `${v.compatibility}, ${bump_text[v.bump]}`);
  return h('div', { class: 'policy-modes' },
    h('p', {}, inline(policy.content_model)),
    h('ul', { class: 'modes' }, policy.modes.map((m) => h('li', {}, h('strong', {}, m.name), `: ${m.meaning}`))),
    table(['Change', ...modes.map((m) => m[0].toUpperCase() + m.slice(1))],
      policy.rows.map((row) => h('tr', { 'data-kind': row.kind },
        h('th', { scope: 'row' }, row.change, ' ', h('code', {}, row.kind),
          h('span', { class: 'muted why' }, ` Backward: ${row.backward.why}. Forward: ${row.forward.why}.`)),
        modes.map((m) => {
          const v = row.verdicts[m];
          const strict = row.strict_verdicts[m];
          return h('td', { class: `verdict-${v.compatibility}`, 'data-mode': m, 'data-compatibility': v.compatibility, 'data-bump': v.bump },
            cell_text(v),
            strict.compatibility !== v.compatibility ? h('span', { class: 'muted strict' }, ` (strict consumers: ${cell_text(strict)})`) : null);
        }))),
      'policy-table stack'));
}

function change_policy_page(L, { catalog, compat }) {
  const body = [
    heading('Change policy'),
    h('p', { class: 'lead' }, `How event types change. The catalog is at version ${catalog.catalog_version}.`),
    h('ol', { class: 'policy' }, (catalog.change_policy || []).map((p) => h('li', {}, inline(p)))),
    h('h2', { id: 'modes' }, 'Compatibility modes'),
    h('p', {}, 'Each kind of change in each mode, derived from the content model (',
      h('code', {}, 'msgevents compat --mode backward|forward|full|none'), '; the project checks ',
      h('code', {}, '--mode backward --transitive'), ' against every release).'),
    policy_table(compat && compat.policy),
    h('p', {}, 'The ', h('a', { href: L.page('compat/') }, 'compatibility report'), ' checks the current catalog against every released version with this policy; ',
      h('a', { href: L.page('versions/') }, 'Versions'), ' shows each release and what changed since.'),
    h('h2', { id: 'schema-versions' }, 'Current schema versions'),
    table(
      ['Event', 'Aggregate', 'Schema version'],
      catalog.events.map((e) => h('tr', {}, h('td', {}, h('a', { href: L.event(e.name) }, e.name)), h('td', {}, e.aggregate), h('td', {}, e.schema_version))),
      'versions',
      'Current schema versions',
    ),
  ];
  return { title: 'Change policy', body };
}

// ---- compatibility with released catalogs (msgevents compat, run at build time) -----------

// One report of `msgevents compat --format json` (or v.compat()) as a section: the verdict, the
// counts, problems, notes and a row per event type. `id` names the section; `heading_text` its title.
export function compat_report(L, r, { id, heading_text, attrs = {} }) {
  const sm = r.summary || {};
  return h('section', { class: 'compat', id, 'data-ok': String(r.ok), ...attrs },
    h('h2', {}, heading_text),
    h('p', { class: `verdict ${r.ok ? 'ok' : 'bad'}` }, `${r.ok ? '✔ Follows' : '✘ Breaks'} the change policy (${r.mode || 'backward'} mode).`),
    h('p', {}, `${sm.events ?? 0} event types: ${sm.unchanged ?? 0} unchanged, ${sm.changed ?? 0} changed, ${sm.added ?? 0} added, ${sm.removed ?? 0} removed; ${sm.problems ?? 0} problems.`),
    (r.problems || []).length ? h('ul', { class: 'problems' }, r.problems.map((p) => h('li', {}, p))) : null,
    (r.notes || []).length ? h('ul', { class: 'notes muted' }, r.notes.map((p) => h('li', {}, p))) : null,
    (r.catalog_changes || []).length ? [h('h3', {}, 'Catalog-wide changes'), h('ul', {}, r.catalog_changes.map((x) => h('li', {}, typeof x === 'string' ? x : `${x.kind}: ${x.detail || ''}`)))] : null,
    table(['Event', 'Status', 'Versions', 'Change', 'Needs', 'Verdict'],
      (r.events || []).map((e) => h('tr', { 'data-event': e.name, 'data-status': e.status, class: e.ok ? null : 'bad' },
        h('th', { scope: 'row' }, L ? h('a', { href: L.event(e.name) }, e.name) : e.name),
        h('td', {}, e.status),
        h('td', {}, e.old_version && e.new_version && e.old_version !== e.new_version ? `${e.old_version} → ${e.new_version}` : e.new_version || e.old_version || '—'),
        h('td', {}, e.compatibility === 'none' ? '—' : e.compatibility),
        h('td', {}, e.required_bump === 'none' ? '—' : `${e.required_bump} bump`),
        h('td', {}, e.verdict, (e.changes || []).length ? change_list(e.changes) : null))),
      'compat-table stack',
      `${heading_text}: event types`));
}

function compat_page(L, { compat }) {
  const body = [
    h('p', { class: 'crumbs' }, h('a', { href: L.page('change-policy/') }, 'Change policy'), ' / Compatibility'),
    heading('Compatibility with released catalogs'),
    h('p', { class: 'lead' }, 'What changed in each event type since each released catalog version, whether each change is compatible or breaking under the ',
      h('a', { href: L.page('change-policy/') }, 'change policy'), ', and whether the declared ', h('code', {}, 'schema_version'), ' bump matches it.'),
    h('p', { class: 'muted' }, 'Made by ', h('code', {}, 'msgevents compat OLD NEW'), ' when this site was built; compare your own edit of the catalog below before you publish it.'),
    compare_form(L, compat),
  ];
  if (!compat || !compat.comparisons || !compat.comparisons.length) {
    body.push(h('p', { class: 'status' }, (compat && compat.note) || 'No comparison was made for this build.'));
  } else {
    for (const c of compat.comparisons) {
      body.push(compat_report(L, c.report, {
        id: `compat-${c.old}-${c.new}`,
        heading_text: `${c.old} → ${c.new === 'current' ? `current (${c.report.new_catalog_version})` : c.new}`,
        attrs: { 'data-old': c.old, 'data-new': c.new },
      }));
    }
  }
  if (compat && compat.releases && compat.releases.length) {
    body.push(h('h2', { id: 'released' }, 'Released catalogs'),
      h('ul', {}, compat.releases.map((v) => h('li', {},
        h('a', { href: L.page(PATHS.version(v)) + 'catalog/' }, `Browse catalog ${v}`), ' · ',
        h('a', { href: L.page(PATHS.release_file(v)), download: `msgevents-catalog-${v}.json` }, `Catalog ${v} (JSON)`)))));
  }
  return { title: 'Compatibility', body };
}

// Compare your own catalog: the page's module (compat_page.mjs) runs the package's compat() on a
// pasted or dropped catalog, in the browser. Without JavaScript the form is not shown.
function compare_form(L, compat) {
  const releases = (compat && compat.releases) || [];
  return h('section', { class: 'compare needs-js', id: 'compare', 'aria-labelledby': 'compare-title' },
    h('h2', { id: 'compare-title' }, 'Compare your own catalog'),
    h('p', {}, 'Paste, open or drop a catalog (JSON). It is compared in your browser with the chosen catalog, exactly as ', h('code', {}, 'msgevents compat OLD NEW'), ' does; nothing is sent anywhere.'),
    h('div', { class: 'toolbar' },
      h('label', {}, 'Compare with ',
        h('select', { id: 'compare-old' },
          h('option', { value: 'current' }, 'the current catalog (as old)'),
          releases.map((v) => h('option', { value: v }, `release ${v} (as old)`)))),
      h('button', { type: 'button', id: 'compare-open' }, 'Open a catalog file…'),
      h('input', { type: 'file', id: 'compare-file', class: 'visually-hidden', tabindex: '-1', 'aria-label': 'Catalog file to compare', accept: '.json,application/json' }),
      h('button', { type: 'button', id: 'compare-run', class: 'primary' }, 'Compare')),
    h('textarea', { id: 'compare-input', rows: '8', spellcheck: 'false', 'aria-label': 'Your catalog (JSON) to compare, as the new catalog', placeholder: 'Paste a catalog (JSON) here, or drop a file' }),
    h('p', { id: 'compare-status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    h('div', { id: 'compare-result' }));
}

// ---- versions -----------------------------------------------------------------------------

function versions_page(L, data) {
  const compat = data.compat || {};
  const releases = compat.releases || [];
  const since = compat.since || [];
  const body = [
    heading('Versions'),
    h('p', { class: 'lead' }, `The catalog is at version ${data.catalog.catalog_version}. Every released catalog (src/catalog/releases/) can be read as it was, and compared with today’s by the change-policy checker.`),
    releases.length
      ? table(['Release', 'Browse', 'Download', 'Since then'],
          [...releases].reverse().map((v) => {
            const s = since.find((x) => x.old === v);
            const sm = (s && s.report.summary) || {};
            return h('tr', { 'data-release': v },
              h('th', { scope: 'row' }, v),
              h('td', {}, h('a', { href: L.page(PATHS.version(v)) + 'catalog/' }, `Catalog ${v}`)),
              h('td', {}, h('a', { href: L.page(PATHS.release_file(v)), download: `msgevents-catalog-${v}.json` }, `${v}.json`)),
              h('td', {}, s ? h('a', { href: `#since-${slug(v)}` }, `${sm.changed ?? 0} changed, ${sm.added ?? 0} added, ${sm.removed ?? 0} removed`) : '—'));
          }),
          'releases stack', 'Released catalogs')
      : h('p', { class: 'status' }, 'No released catalog versions are kept in src/catalog/releases/.'),
    since.map((s) => compat_report(L, s.report, {
      id: `since-${slug(s.old)}`,
      heading_text: `What changed since ${s.old}`,
      attrs: { 'data-old': s.old, 'data-new': 'current' },
    })),
    compat.note ? h('p', { class: 'status' }, compat.note) : null,
  ];
  return { title: 'Versions', body };
}

// ---- the header, footer and page shell ----------------------------------------------------

export function site_header(root, current) {
  return h('header', { class: 'site-header' },
    h('a', { class: 'brand', href: root || './' }, 'msgevents'),
    h('nav', { 'aria-label': 'Site' },
      h('ul', {}, NAV.map(([p, key, text]) => h('li', {},
        h('a', { href: root + p || './', 'data-nav': key, 'aria-current': key === current ? 'page' : null }, text))))),
    h('form', { class: 'search needs-js', role: 'search', id: 'search-form' },
      h('label', { for: 'site-search', class: 'visually-hidden' }, 'Search the docs'),
      h('input', { type: 'search', id: 'site-search', name: 'q', placeholder: 'Search the docs (/)', autocomplete: 'off', spellcheck: 'false',
        'aria-describedby': 'search-hint', 'aria-controls': 'search-results' }),
      h('span', { id: 'search-hint', class: 'visually-hidden' }, 'Events, fields, rules, decisions and invariants. Press slash to come here, Down to reach the results.'),
      h('div', { id: 'search-results', class: 'search-results', hidden: true },
        h('p', { id: 'search-count', class: 'search-count', role: 'status', 'aria-live': 'polite' }),
        h('ul', { id: 'search-list' }))));
}

export function site_footer(data) {
  return h('footer', { class: 'site-footer' },
    h('p', {}, `Generated from the msgevents catalog v${data.catalog.catalog_version}${data.version ? ` by the msgevents ${data.version} package` : ''}. The validator runs offline in your browser.`));
}

// One whole docs page as HTML. `root` leads back to the site's root from the page's folder.
export function page_html({ root, current, title, body, scripts = ['docs_page.mjs'] }, data) {
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="referrer" content="no-referrer">
  <title>${render(title)} · msgevents</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${root}style.css">
  <script src="${root}js.js"></script>
${scripts.map((s) => `  <script type="module" src="${root}${s}"></script>`).join('\n')}
</head>
<body>
  <a class="skip" href="#main">Skip to content</a>
  ${render(site_header(root, current))}
  <main id="main" tabindex="-1">
    <article class="docs" id="view-docs">
${render(body)}
    </article>
    <p id="docs-status" class="visually-hidden" role="status" aria-live="polite"></p>
  </main>
  ${render(site_footer(data))}
</body>
</html>
`;
}

// Every docs page of the site: [{ path, root, current, title, body }]. The current catalog's
// pages, then each release's catalog, aggregates and events under versions/<v>/.
export function docs_pages(data) {
  const pages = [];
  // A release's pages sit two folders deeper (versions/<v>/catalog/...); their links start there.
  const base = data.release ? PATHS.version(data.release) : '';
  const add = (path, current, fn) => {
    const root = '../'.repeat(base.split('/').length - 1 + path.split('/').length - 1);
    const { title, body } = fn(links(root, base));
    pages.push({ path: base + path, root, current, title, body });
  };
  add('catalog/index.html', data.release ? 'versions' : 'catalog', (L) => catalog_page(L, data));
  for (const agg of data.catalog.aggregates) add(`aggregate/${agg.name}/index.html`, data.release ? 'versions' : 'catalog', (L) => aggregate_page(L, data, agg));
  for (const ev of data.catalog.events) add(`event/${ev.name}/index.html`, data.release ? 'versions' : 'catalog', (L) => event_page(L, data, ev));
  if (data.release) return pages;
  add('envelope/index.html', 'envelope', (L) => envelope_page(L, data));
  add('checklist/index.html', 'checklist', (L) => checklist_page(L, data));
  add('change-policy/index.html', 'change-policy', (L) => change_policy_page(L, data));
  add('compat/index.html', 'compat', (L) => compat_page(L, data));
  add('versions/index.html', 'versions', (L) => versions_page(L, data));
  for (const r of data.releases || []) {
    pages.push(...docs_pages({ ...data, catalog: r.catalog, release: r.version, schemas: null, cloudevents: null, history: null }));
  }
  return pages;
}

// Each event type's history: for each step between releases (and from the last one to the
// current catalog), its entry in that step's compat report.
export function event_history(catalog, compat) {
  const steps = (compat && compat.comparisons) || [];
  if (!steps.length) return null;
  const out = {};
  for (const ev of catalog.events) {
    out[ev.name] = steps.map((c) => ({ old: c.old, new: c.new, entry: (c.report.events || []).find((e) => e.name === ev.name) || null }));
  }
  return out;
}

// The search index's documents: every event, aggregate, field (payload and envelope), rule,
// decision and invariant, each with the path (from the site's root) of its page and anchor.
export function search_documents(data) {
  const { catalog, rules } = data;
  const docs = [];
  const add = (kind, title, text, url, context = '') => docs.push({ id: docs.length, kind, title, text: String(text || '').replace(/`/g, ''), context, url });
  for (const agg of catalog.aggregates) add('Aggregate', agg.name, `${agg.description} States: ${agg.states.join(', ')}`, PATHS.aggregate(agg.name));
  for (const ev of catalog.events) {
    add('Event', ev.name, ev.purpose, PATHS.event(ev.name), ev.aggregate);
    for (const f of ev.fields) add('Field', f.name, `${f.type}, ${f.required ? 'required' : 'optional'}, ${f.privacy}. ${f.description || ''}`, `${PATHS.event(ev.name)}#${PATHS.field_anchor(f.name)}`, ev.name);
    (ev.invariants || []).forEach((t, i) => add('Invariant', `${ev.name} invariant ${i + 1}`, t, `${PATHS.event(ev.name)}#invariant-${i + 1}`, ev.name));
  }
  for (const f of catalog.envelope) add('Envelope field', f.name, `${f.type}, ${f.required ? 'required' : 'optional'}. ${f.description || ''}`, `envelope/#${PATHS.field_anchor(f.name)}`, 'Envelope');
  for (const r of rules || []) add('Rule', r.code, `${r.title} ${r.explanation}`, PATHS.rule(r.code), `${r.category} · ${r.severity}`);
  for (const d of catalog.decisions || []) add('Decision', d.topic, d.text, `catalog/#decision-${slug(d.topic)}`, 'Catalog');
  (catalog.change_policy || []).forEach((p, i) => add('Change policy', `Change policy ${i + 1}`, p, 'change-policy/', ''));
  return docs;
}

