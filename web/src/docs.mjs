// The catalog docs, rendered from the catalog the npm package carries (v.catalog), its rule
// registry (v.rules()) and checklist (v.checklist()): nothing here restates the catalog by hand.
//
// render_docs(container, route, arg, data, hooks) fills `container` and returns the page title and
// the id of the element to focus (a checklist rule, for #/checklist/<code>).
import { h, append, inline, markdown, download_blob } from './dom.mjs';
import { state_diagram } from './diagram.mjs';


export function render_docs(root, route, arg, data, hooks) {
  const pages = {
    catalog: catalog_page,
    aggregate: aggregate_page,
    event: event_page,
    envelope: envelope_page,
    checklist: checklist_page,
    'change-policy': change_policy_page,
    compat: compat_page,
  };
  const page = pages[route] || not_found;
  return page(root, arg, data, hooks);
}

const event_href = (name) => `#/event/${encodeURIComponent(name)}`;
const aggregate_href = (name) => `#/aggregate/${encodeURIComponent(name)}`;
const rule_href = (code) => `#/checklist/${encodeURIComponent(code)}`;

function heading(text) {
  return h('h1', { tabindex: '-1' }, text);
}

function list(items, cls) {
  if (!items || !items.length) return h('p', { class: 'muted' }, 'None.');
  return h('ul', { class: cls }, items.map((t) => h('li', {}, inline(t))));
}

// A table; cells get their column's name as data-label, so that a `stack` table can show each row
// as a card on a phone (style.css).
function table(head, rows, cls) {
  for (const tr of rows.flat(Infinity)) {
    [...tr.children].forEach((cell, i) => {
      if (!cell.dataset.label && head[i]) cell.dataset.label = head[i];
    });
  }
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: cls }, h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows)),
  );
}

function not_found(root, arg) {
  append(root, heading('Page not found'), h('p', {}, 'There is no such page. '), h('p', {}, h('a', { href: '#/catalog' }, 'Back to the catalog')));
  return { title: 'Not found' };
}

// ---- the index ----------------------------------------------------------------------------

function json_download(label, value, filename, cls) {
  return h('button', {
    type: 'button',
    class: cls,
    onclick: () => download_blob(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' }), filename),
  }, label);
}

function catalog_page(root, _arg, { catalog, schema_bundle, asyncapi }) {
  const events_of = (agg) => catalog.events.filter((e) => e.aggregate === agg.name);
  append(root, 
    heading(catalog.title || 'Event catalog'),
    h('p', { class: 'lead' }, inline(catalog.description)),
    h('p', { class: 'muted' }, `Catalog version ${catalog.catalog_version} · ${catalog.aggregates.length} aggregates · ${catalog.events.length} event types`),
    h('nav', { 'aria-label': 'Catalog pages', class: 'pill-nav' },
      h('a', { href: '#/envelope' }, 'Envelope rules'),
      h('a', { href: '#/checklist' }, 'Validation checklist'),
      h('a', { href: '#/change-policy' }, 'Change policy')),
    schema_bundle || asyncapi
      ? h('p', { class: 'downloads' },
          json_download('Download the catalog (JSON)', catalog, 'msgevents-catalog.json', 'catalog-download'),
          ' ',
          schema_bundle ? json_download('Download all JSON Schemas (bundle)', schema_bundle, 'msgevents.schema.json', 'bundle-download') : null,
          ' ',
          asyncapi ? json_download('Download the AsyncAPI 3.0 document', asyncapi, 'msgevents.asyncapi.json', 'asyncapi-download') : null)
      : h('p', { class: 'downloads' }, json_download('Download the catalog (JSON)', catalog, 'msgevents-catalog.json', 'catalog-download')),
    h('h2', {}, 'Aggregates'),
    h(
      'ul',
      { class: 'cards', id: 'aggregate-index' },
      catalog.aggregates.map((agg) =>
        h(
          'li',
          { class: 'card', 'data-aggregate': agg.name },
          h('h3', {}, h('a', { href: aggregate_href(agg.name) }, agg.name)),
          h('p', {}, inline(agg.description)),
          h('p', { class: 'muted' }, 'States: ', agg.states.join(' · ')),
          h('ul', { class: 'event-links' }, events_of(agg).map((e) => h('li', {}, h('a', { href: event_href(e.name) }, e.name)))),
        ),
      ),
    ),
    h('h2', {}, 'Event types'),
    table(
      ['Event', 'Aggregate', 'Schema', 'Purpose'],
      catalog.events.map((e) =>
        h(
          'tr',
          { 'data-event': e.name },
          h('td', {}, h('a', { href: event_href(e.name) }, e.name)),
          h('td', {}, h('a', { href: aggregate_href(e.aggregate) }, e.aggregate)),
          h('td', {}, e.schema_version),
          h('td', {}, inline(first_sentence(e.purpose))),
        ),
      ),
      'events-table stack',
    ),
    h('h2', {}, 'Decisions'),
    h('dl', { class: 'decisions' }, (catalog.decisions || []).map((d) => [h('dt', {}, d.topic), h('dd', {}, inline(d.text))])),
  );
  return { title: 'Catalog' };
}

// The first sentence: up to a full stop followed by a capital letter or the end, so that
// abbreviations such as "e.g." or "i.e." do not cut it short.
function first_sentence(text) {
  const m = /^(.+?(?<!\be\.g|\bi\.e)[.!?])(\s+(?=[A-Z])|\s*$)/.exec(String(text || ''));
  return m ? m[1] : text;
}

// ---- an aggregate -------------------------------------------------------------------------

function aggregate_page(root, name, { catalog }) {
  const agg = catalog.aggregates.find((a) => a.name === name);
  if (!agg) return not_found(root);
  const events = catalog.events.filter((e) => e.aggregate === agg.name);
  append(root, 
    h('p', { class: 'crumbs' }, h('a', { href: '#/catalog' }, 'Catalog'), ' / Aggregate'),
    heading(`${agg.name}`),
    h('p', { class: 'lead' }, inline(agg.description)),
    h('p', {}, 'Identified by ', h('code', {}, agg.id_field), ', which the envelope’s ', h('code', {}, 'aggregate_id'), ' must equal.'),
    h('h2', {}, 'Lifecycle'),
    h('figure', { class: 'diagram-box', tabindex: '0', 'aria-label': `${agg.name} lifecycle diagram` }, state_diagram(agg),
      h('figcaption', {}, 'Arrows change the state; events listed inside a state (↻) keep it. The dot is the start: the aggregate does not exist yet.')),
    table(
      ['From', 'Event', 'To'],
      agg.transitions.map((t) =>
        h('tr', {}, h('td', {}, t.from || '(start)'), h('td', {}, h('a', { href: event_href(t.event) }, t.event)), h('td', {}, t.to)),
      ),
      'transitions stack',
    ),
    h('h2', {}, 'Attributes'),
    h('p', {}, 'What a ', h('code', {}, 'changed_fields'), ' list may name: ', agg.attributes.length ? agg.attributes.map((a, i) => [i ? ', ' : '', h('code', {}, a)]) : 'none', '.'),
    h('h2', {}, 'Events'),
    h('ul', {}, events.map((e) => h('li', {}, h('a', { href: event_href(e.name) }, e.name), ': ', inline(first_sentence(e.purpose))))),
  );
  return { title: `${agg.name} aggregate` };
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

function example_text(ex) {
  return typeof ex === 'string' ? ex : JSON.stringify(ex, null, 2);
}

function event_page(root, name, data, hooks) {
  const { catalog } = data;
  const ev = catalog.events.find((e) => e.name === name);
  if (!ev) return not_found(root);
  const d = ev.delivery || {};
  const schema = data.schemas && data.schemas[ev.name];
  const cloud = data.cloudevents && data.cloudevents[ev.name];
  append(root, 
    h('p', { class: 'crumbs' }, h('a', { href: '#/catalog' }, 'Catalog'), ' / ', h('a', { href: aggregate_href(ev.aggregate) }, ev.aggregate), ' / Event'),
    heading(ev.name),
    h(
      'p',
      { class: 'badges' },
      h('span', { class: 'badge' }, `schema ${ev.schema_version}`),
      h('span', { class: 'badge' }, `aggregate ${ev.aggregate}`),
      ev.creates ? h('span', { class: 'badge accent' }, 'creates the aggregate (version 1)') : null,
    ),
    h('h2', {}, 'Purpose'),
    h('p', { class: 'lead' }, inline(ev.purpose)),
    h('h2', {}, 'Payload fields'),
    h('p', { class: 'muted' }, 'Inside the envelope’s ', h('code', {}, 'payload'), '. The ', h('a', { href: '#/envelope' }, 'envelope rules'), ' apply to every event.'),
    table(
      ['Field', 'Type', 'Required', 'Privacy', 'Constraints', 'Description'],
      ev.fields.map((f) =>
        h(
          'tr',
          { 'data-field': f.name },
          h('th', { scope: 'row' }, h('code', {}, f.name)),
          h('td', { 'data-label': 'Type' }, f.type === 'array' && f.items ? `array of ${f.items.type}` : f.type),
          h('td', { 'data-label': 'Required' }, f.required ? 'required' : 'optional'),
          h('td', { 'data-label': 'Privacy' }, h('span', { class: `privacy privacy-${f.privacy}` }, f.privacy)),
          h('td', { 'data-label': 'Constraints' }, constraints(f)),
          h('td', { 'data-label': 'Description' }, inline(String(f.description || '').trim())),
        ),
      ),
      'fields stack',
    ),
    h('h2', {}, 'Invariants'),
    list(ev.invariants),
    h('h2', {}, 'Preconditions'),
    list(ev.preconditions),
    h('h2', {}, 'Postconditions'),
    list(ev.postconditions),
    h('h2', {}, 'Traceability'),
    list(ev.traceability),
    h('h2', {}, 'Delivery'),
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
    h('h2', {}, ev.examples && ev.examples.length > 1 ? 'Examples' : 'Example'),
    (ev.examples || []).map((ex, i) => {
      const text = example_text(ex);
      const ce = cloud && cloud[i];
      return h(
        'figure',
        { class: 'example' },
        h('pre', { tabindex: '0', 'aria-label': `Example ${i + 1} of ${ev.name}` }, h('code', {}, text)),
        ce
          ? h('details', { class: 'cloudevent' },
              h('summary', {}, 'The same event as a CloudEvent 1.0'),
              h('pre', { tabindex: '0', 'aria-label': `Example ${i + 1} of ${ev.name} as a CloudEvent` }, h('code', {}, JSON.stringify(ce, null, 2))))
          : null,
        h(
          'figcaption',
          {},
          h('button', { type: 'button', class: 'primary validate-this', onclick: () => hooks.validate_example(text) }, 'Validate this'),
          ' ',
          h('button', { type: 'button', onclick: () => download_blob(new Blob([text + '\n'], { type: 'application/json' }), `${ev.name}.example${i + 1}.json`) }, 'Download'),
        ),
      );
    }),
    schema
      ? [
          h('h2', {}, 'JSON Schema'),
          h('p', {}, 'The envelope and this payload as JSON Schema (draft 2020-12). What JSON Schema cannot say (ULID, E.164, cross-field rules) msgevents checks itself.'),
          h('button', {
            type: 'button',
            class: 'schema-download',
            onclick: () => download_blob(new Blob([typeof schema === 'string' ? schema : JSON.stringify(schema, null, 2)], { type: 'application/schema+json' }), `${ev.name}.schema.json`),
          }, `Download ${ev.name}.schema.json`),
        ]
      : null,
  );
  return { title: ev.name };
}

// ---- envelope, checklist, change policy ---------------------------------------------------

function rule_link(rule) {
  return h('a', { href: rule_href(rule.code), class: 'code' }, rule.code);
}

function envelope_page(root, _arg, { catalog, rules }) {
  const env_rules = (rules || []).filter((r) => r.category === 'Envelope');
  append(root, 
    heading('Envelope rules'),
    h('p', { class: 'lead' }, 'Every event is one JSON object: these envelope fields around the event type’s own ', h('code', {}, 'payload'), '.'),
    table(
      ['Field', 'Type', 'Required', 'Rule'],
      catalog.envelope.map((f) =>
        h(
          'tr',
          { 'data-field': f.name },
          h('th', { scope: 'row' }, h('code', {}, f.name)),
          h('td', {}, f.type),
          h('td', {}, f.required ? 'required' : 'optional'),
          h('td', {}, inline(f.description)),
        ),
      ),
      'envelope stack',
    ),
    env_rules.length
      ? [
          h('h2', {}, 'What the validator checks'),
          h('ul', { class: 'rule-list' }, env_rules.map((r) => h('li', {}, rule_link(r), ' ', h('span', { class: `sev sev-${r.severity}` }, r.severity), ' ', r.title))),
          h('p', {}, 'Full explanations are in the ', h('a', { href: '#/checklist' }, 'validation checklist'), '.'),
        ]
      : null,
  );
  return { title: 'Envelope rules' };
}

function escalation_text(e) {
  if (!e || e === 'none') return null;
  if (e === 'strict') return 'an error in strict mode';
  if (e === 'public_profile' || e === 'public') return 'an error in the public profile';
  return `escalated: ${e}`;
}

function checklist_page(root, code, { rules, checklist }) {
  append(root, 
    heading('Validation checklist'),
    h('p', { class: 'lead' }, 'Every finding the validator can report, with its stable code and default severity. The checklist is generated from the validator’s rule registry, so the two cannot disagree; it can be applied to any event by hand.'),
    h('p', {}, h('button', { type: 'button', onclick: () => download_blob(new Blob([checklist], { type: 'text/markdown' }), 'msgevents-checklist.md') }, 'Download the checklist (Markdown)')),
  );
  if (!rules || !rules.length) {
    append(root, h('div', { class: 'markdown' }, markdown(checklist)));
    return { title: 'Validation checklist', focus: code || null };
  }
  const categories = [];
  for (const r of rules) if (!categories.includes(r.category)) categories.push(r.category);
  append(root, 
    h('nav', { class: 'pill-nav', 'aria-label': 'Rule categories' }, categories.map((c) => h('a', { href: `#/checklist/category-${encodeURIComponent(c)}` }, c))),
  );
  for (const c of categories) {
    const in_cat = rules.filter((r) => r.category === c);
    append(root, 
      h('h2', { id: `category-${c}`, tabindex: '-1' }, `${c} (${in_cat.length})`),
      h(
        'ol',
        { class: 'rules' },
        in_cat.map((r) =>
          h(
            'li',
            { class: 'rule', id: r.code, tabindex: '-1', 'data-code': r.code },
            h('h3', {}, h('code', {}, r.code), ' ', h('span', { class: `sev sev-${r.severity}` }, r.severity)),
            h('p', { class: 'rule-title' }, inline(r.title)),
            h('p', {}, inline(r.explanation)),
            escalation_text(r.escalation) ? h('p', { class: 'muted' }, `Becomes ${escalation_text(r.escalation)}.`) : null,
          ),
        ),
      ),
    );
  }
  const focus = code ? (code.startsWith('category-') ? code : rules.some((r) => r.code === code) ? code : null) : null;
  return { title: 'Validation checklist', focus };
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

function change_policy_page(root, _arg, { catalog, compat }) {
  append(root, 
    heading('Change policy'),
    h('p', { class: 'lead' }, `How event types change. The catalog is at version ${catalog.catalog_version}.`),
    h('ol', { class: 'policy' }, (catalog.change_policy || []).map((p) => h('li', {}, inline(p)))),
    h('h2', {}, 'Compatibility modes'),
    h('p', {}, 'Each kind of change in each mode, derived from the content model (',
      h('code', {}, 'msgevents compat --mode backward|forward|full|none'), '; the project checks ',
      h('code', {}, '--mode backward --transitive'), ' against every release).'),
    policy_table(compat && compat.policy),
    h('p', {}, 'The ', h('a', { href: '#/compat' }, 'compatibility report'), ' checks the current catalog against every released version with this policy.'),
    h('h2', {}, 'Current schema versions'),
    table(
      ['Event', 'Aggregate', 'Schema version'],
      catalog.events.map((e) => h('tr', {}, h('td', {}, h('a', { href: event_href(e.name) }, e.name)), h('td', {}, e.aggregate), h('td', {}, e.schema_version))),
      'versions',
    ),
  );
  return { title: 'Change policy' };
}

// ---- compatibility with released catalogs (msgevents compat, run at build time) -----------

function compat_page(root, _arg, { compat }) {
  append(root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/change-policy' }, 'Change policy'), ' / Compatibility'),
    heading('Compatibility with released catalogs'),
    h('p', { class: 'lead' }, 'What changed in each event type since each released catalog version, whether each change is compatible or breaking under the ',
      h('a', { href: '#/change-policy' }, 'change policy'), ', and whether the declared ', h('code', {}, 'schema_version'), ' bump matches it.'),
    h('p', { class: 'muted' }, 'Made by ', h('code', {}, 'msgevents compat OLD NEW'), ' when this site was built; run it on your own edit of the catalog before you publish it.'));
  if (!compat || !compat.comparisons || !compat.comparisons.length) {
    append(root, h('p', { class: 'status' }, (compat && compat.note) || 'No comparison was made for this build.'));
    return { title: 'Compatibility' };
  }
  for (const c of compat.comparisons) {
    const r = c.report;
    const sm = r.summary || {};
    const id = `compat-${c.old}-${c.new}`;
    append(root,
      h('section', { class: 'compat', id, 'data-old': c.old, 'data-new': c.new, 'data-ok': String(r.ok) },
        h('h2', {}, `${c.old} → ${c.new === 'current' ? `current (${r.new_catalog_version})` : c.new}`),
        h('p', { class: `verdict ${r.ok ? 'ok' : 'bad'}` }, `${r.ok ? '✔ Follows' : '✘ Breaks'} the change policy (${r.mode || 'backward'} mode).`),
        h('p', {}, `${sm.events ?? 0} event types: ${sm.unchanged ?? 0} unchanged, ${sm.changed ?? 0} changed, ${sm.added ?? 0} added, ${sm.removed ?? 0} removed; ${sm.problems ?? 0} problems.`),
        (r.problems || []).length ? h('ul', { class: 'problems' }, r.problems.map((p) => h('li', {}, p))) : null,
        (r.notes || []).length ? h('ul', { class: 'notes muted' }, r.notes.map((p) => h('li', {}, p))) : null,
        (r.catalog_changes || []).length ? [h('h3', {}, 'Catalog-wide changes'), h('ul', {}, r.catalog_changes.map((x) => h('li', {}, typeof x === 'string' ? x : `${x.kind}: ${x.detail || ''}`)))] : null,
        table(['Event', 'Status', 'Versions', 'Change', 'Needs', 'Verdict'],
          (r.events || []).map((e) => h('tr', { 'data-event': e.name, 'data-status': e.status, class: e.ok ? '' : 'bad' },
            h('th', { scope: 'row' }, h('a', { href: event_href(e.name) }, e.name)),
            h('td', {}, e.status),
            h('td', {}, e.old_version && e.new_version && e.old_version !== e.new_version ? `${e.old_version} → ${e.new_version}` : e.new_version || e.old_version || '—'),
            h('td', {}, e.compatibility === 'none' ? '—' : e.compatibility),
            h('td', {}, e.required_bump === 'none' ? '—' : `${e.required_bump} bump`),
            h('td', {}, e.verdict,
              (e.changes || []).length
                ? h('ul', { class: 'changes' }, e.changes.map((x) => h('li', {}, h('code', {}, x.kind), x.field ? [' ', h('code', {}, x.field)] : null, ` (${x.compatibility}): ${x.detail}`)))
                : null))),
          'compat-table stack')));
  }
  if (compat.releases && compat.releases.length) {
    append(root, h('h2', {}, 'Released catalogs'),
      h('ul', {}, compat.releases.map((v) => h('li', {}, h('a', { href: `./releases/${encodeURIComponent(v)}.json`, download: `msgevents-catalog-${v}.json` }, `Catalog ${v} (JSON)`)))));
  }
  return { title: 'Compatibility' };
}

