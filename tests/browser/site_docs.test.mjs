// The catalog docs in headless Chromium: the index of the five aggregates and twenty-one events,
// each aggregate's state diagram (generated from its states and transitions), each event's page,
// the "Validate this" link, and the envelope, checklist and change-policy pages. Every docs page is
// a static page of its own folder (prerendered by scripts/build-site.mjs). Everything is compared
// with the catalog and rule registry the site's package carries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { open_site, new_page, goto, wait_validated, counts, findings, screenshot, foreign, site_catalog, csp_violations, SCREENSHOTS, ROOT } from './site/harness.mjs';

let site;
let catalog;
let rules;

before(async () => {
  ({ catalog, rules } = await site_catalog());
  site = await open_site();
});

after(async () => {
  await site?.close();
  console.log(`screenshots: ${SCREENSHOTS}`);
});

test('the catalog index lists the five aggregates and twenty-one events, linked', async () => {
  const { page, errors } = await new_page(site, { path: 'catalog/' });
  await page.waitForSelector('#aggregate-index');
  const aggregates = await page.$$eval('#aggregate-index > li', (els) => els.map((e) => e.dataset.aggregate));
  assert.deepEqual(aggregates, ['Customer', 'Contact', 'Provider', 'Channel', 'Conversation']);
  assert.deepEqual(aggregates, catalog.aggregates.map((a) => a.name));
  const events = await page.$$eval('table.events-table tbody tr', (rows) => rows.map((r) => r.dataset.event));
  assert.equal(events.length, 21);
  assert.deepEqual(events, catalog.events.map((e) => e.name));
  assert.equal(await page.getAttribute('[data-nav="catalog"]', 'aria-current'), 'page');
  await screenshot(page, 'docs-index', { fullPage: true });
  // Every link on the page is relative (so the site works from any folder), and every event link
  // opens its page.
  const hrefs = await page.$$eval('a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 40);
  assert.deepEqual(hrefs.filter((h) => /^([a-z]+:|\/)/i.test(h)), [], 'absolute links');
  await page.click('table.events-table a[href="../event/ChannelMapped/"]');
  await page.waitForSelector('h1:text("ChannelMapped")');
  assert.equal(new URL(page.url()).pathname, '/event/ChannelMapped/');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('each aggregate has a state diagram drawn from its states and transitions', async () => {
  const { page } = await new_page(site);
  for (const agg of catalog.aggregates) {
    await goto(page, site, `aggregate/${agg.name}/`);
    const selector = `svg.diagram[data-aggregate="${agg.name}"]`;
    await page.waitForSelector(selector);
    const drawn = await page.$eval(selector, (svg) => ({
      states: [...svg.querySelectorAll('.state')].map((g) => g.dataset.state),
      edges: [...svg.querySelectorAll('.edge')].map((g) => [g.dataset.from, g.dataset.to]),
      labels: [...svg.querySelectorAll('[data-event]')].map((t) => t.dataset.event),
      start: svg.querySelectorAll('.start').length,
      box: svg.getBoundingClientRect().width,
    }));
    assert.deepEqual(drawn.states, agg.states, `${agg.name}: states`);
    assert.equal(drawn.start, 1);
    // Every transition's event is named in the diagram, every state change is an arrow.
    for (const t of agg.transitions) {
      assert.ok(drawn.labels.includes(t.event), `${agg.name}: ${t.event} missing`);
      if ((t.from ?? null) !== t.to) {
        assert.ok(drawn.edges.some(([f, to]) => f === (t.from ?? '') && to === t.to), `${agg.name}: no arrow ${t.from} -> ${t.to}`);
      }
    }
    // The transitions table says the same in words.
    const rows = await page.$$eval('table.transitions tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(rows, agg.transitions.map((t) => [t.from || '(start)', t.event, t.to]));
    assert.ok(drawn.box > 100);
    await screenshot(page, `docs-aggregate-${agg.name}`, { fullPage: true });
  }
  await page.context().close();
});

test('an event page shows purpose, fields, conditions and delivery; "Validate this" gives zero findings', async () => {
  const { page, requests } = await new_page(site, { path: 'event/CustomerCreated/' });
  const ev = catalog.events.find((e) => e.name === 'CustomerCreated');
  await page.waitForSelector('table.fields');
  const fields = await page.$$eval('table.fields tbody tr', (rows) =>
    rows.map((r) => ({ name: r.dataset.field, type: r.cells[1].textContent, required: r.cells[2].textContent, privacy: r.cells[3].textContent })));
  assert.deepEqual(fields, ev.fields.map((f) => ({ name: f.name, type: f.type, required: f.required ? 'required' : 'optional', privacy: f.privacy })));
  const text = await page.textContent('main');
  for (const s of [ev.purpose, ...ev.invariants, ...ev.preconditions, ...ev.postconditions, ev.delivery.ordering_key]) {
    assert.ok(text.includes(s.replace(/`/g, '')), `missing on the page: ${s}`);
  }
  await screenshot(page, 'docs-event-CustomerCreated', { fullPage: true });

  // The event's JSON Schema downloads from the page, and the example is shown as a CloudEvent.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.schema-download')]);
  assert.equal(download.suggestedFilename(), 'CustomerCreated.schema.json');
  const schema = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.match(schema.$schema, /2020-12/);
  assert.ok(JSON.stringify(schema).includes('customer_id'));
  await page.click('details.cloudevent summary');
  const ce = JSON.parse(await page.textContent('details.cloudevent pre'));
  // The schema is on the page too, collapsed.
  assert.equal(await page.isVisible('#schema-json'), false);
  await page.click('details.schema-inline summary');
  assert.deepEqual(JSON.parse(await page.textContent('#schema-json')), schema);
  assert.equal(ce.specversion, '1.0');
  assert.equal(ce.id, ev.examples[0].event_id);

  // "Validate this" opens the validator with the example (the address keeps no trace of it).
  await page.click('a.validate-this');
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true' && document.getElementById('view-validator'));
  await wait_validated(page, 0);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(new URL(page.url()).search, '');
  assert.ok(await page.isVisible('#view-validator'));
  const loaded = requests.length;
  const example = typeof ev.examples[0] === 'string' ? ev.examples[0] : JSON.stringify(ev.examples[0], null, 2);
  assert.equal(await page.inputValue('#editor'), example);
  assert.match(await page.textContent('#summary-text'), /^1 event checked: no findings\.$/);
  assert.deepEqual(await counts(page), { critical: 0, error: 0, warning: 0, info: 0 });
  assert.deepEqual(await findings(page), []);
  assert.deepEqual(requests.slice(loaded), [], 'the validator made requests after validating the example');
  await screenshot(page, 'validator-example-clean');
  await page.context().close();
});

test('every event\'s example validates clean through "Validate this" (SC-002 on the page)', async () => {
  const { page } = await new_page(site);
  for (const ev of catalog.events) {
    await goto(page, site, `event/${ev.name}/`);
    await page.waitForSelector(`h1:text("${ev.name}")`);
    await page.click('a.validate-this');
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true' && document.getElementById('view-validator'));
    await wait_validated(page, 0);
    assert.deepEqual(await counts(page), { critical: 0, error: 0, warning: 0, info: 0 }, ev.name);
  }
  await page.context().close();
});

test('the envelope, checklist and change-policy pages, in light and dark and on a phone', async () => {
  const { page, requests, errors } = await new_page(site, { path: 'envelope/' });
  await page.waitForSelector('table.envelope');
  const env = await page.$$eval('table.envelope tbody tr', (rows) => rows.map((r) => r.dataset.field));
  assert.deepEqual(env, catalog.envelope.map((f) => f.name));
  await screenshot(page, 'docs-envelope', { fullPage: true });

  await page.click('[data-nav="checklist"]');
  await page.waitForSelector('ol.rules');
  assert.equal(new URL(page.url()).pathname, '/checklist/');
  const codes = await page.$$eval('li.rule', (els) => els.map((e) => e.id));
  assert.deepEqual(codes, rules.map((r) => r.code));
  assert.ok(codes.length > 20);
  await screenshot(page, 'docs-checklist');

  await page.click('[data-nav="change-policy"]');
  await page.waitForSelector('ol.policy');
  const policy = await page.$$eval('ol.policy li', (els) => els.map((e) => e.textContent));
  assert.deepEqual(policy, catalog.change_policy.map((p) => p.replace(/`/g, '')));
  // The policy table: each kind of change in each mode, exactly as the core's table says
  // (`msgevents compat --policy --format json`).
  const table = JSON.parse(execFileSync(path.join(ROOT, 'build', 'native', 'msgevents'), ['compat', '--policy', '--format', 'json'], { encoding: 'utf8' }));
  const cells = await page.$$eval('table.policy-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.kind,
    [...tr.querySelectorAll('td')].map((td) => `${td.dataset.mode}:${td.dataset.compatibility}:${td.dataset.bump}`)]));
  assert.deepEqual(cells, table.rows.map((r) => [r.kind, ['backward', 'forward', 'full', 'none'].map((m) => `${m}:${r.verdicts[m].compatibility}:${r.verdicts[m].bump}`)]));
  const privacy = await page.textContent('table.policy-table tr[data-kind="field.privacy_lowered"] td[data-mode="none"]');
  assert.equal(privacy, 'breaking, MAJOR');
  const added = await page.textContent('table.policy-table tr[data-kind="field.added_optional"] td[data-mode="forward"]');
  assert.equal(added, 'compatible, MINOR (strict consumers: breaking, MAJOR)');
  await screenshot(page, 'docs-change-policy', { fullPage: true });

  // The compatibility page: the change-policy checker's report against each released catalog,
  // exactly as the native CLI gives it.
  await page.click('main a[href="../compat/"]');
  await page.waitForSelector('section.compat');
  const releases = readdirSync(path.join(ROOT, 'src', 'catalog', 'releases')).filter((f) => f.endsWith('.json'));
  const latest = releases.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
  const cli = path.join(ROOT, 'build', 'native', 'msgevents');
  let expected;
  try {
    expected = JSON.parse(execFileSync(cli, ['compat', '--format', 'json', path.join(ROOT, 'src', 'catalog', 'releases', latest), path.join(ROOT, 'src', 'catalog', 'catalog.json')], { encoding: 'utf8' }));
  } catch (error) {
    expected = JSON.parse(error.stdout);
  }
  const section = `section.compat[data-old="${latest.replace(/\.json$/, '')}"][data-new="current"]`;
  assert.equal(await page.getAttribute(section, 'data-ok'), String(expected.ok));
  const rows = await page.$$eval(`${section} table.compat-table tbody tr`, (trs) => trs.map((tr) => [tr.dataset.event, tr.dataset.status]));
  assert.deepEqual(rows, expected.events.map((e) => [e.name, e.status]));
  assert.equal(rows.length, catalog.events.length);
  await screenshot(page, 'docs-compat', { fullPage: true });
  assert.deepEqual(foreign(requests, site.url), []);
  assert.deepEqual(errors, []);
  await page.context().close();

  for (const [scheme, viewport, route, name] of [
    ['dark', { width: 1280, height: 900 }, 'aggregate/Conversation/', 'docs-aggregate-Conversation-dark'],
    ['dark', { width: 1280, height: 900 }, 'event/ChannelMapped/', 'docs-event-ChannelMapped-dark'],
    ['light', { width: 390, height: 844 }, 'event/ConversationParticipantAdded/', 'docs-event-phone'],
    ['dark', { width: 390, height: 844 }, 'catalog/', 'docs-index-phone-dark'],
    ['light', { width: 390, height: 844 }, 'versions/', 'docs-versions-phone'],
  ]) {
    const p = await new_page(site, { colorScheme: scheme, viewport, path: route });
    await p.page.waitForSelector('main h1');
    const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `${name}: the page scrolls sideways`);
    await screenshot(p.page, name, { fullPage: true });
    await p.context.close();
  }
});

test('the site works from a sub-path of a static host (relative URLs only)', async () => {
  const sub = await open_site({ sub_path: 'static/tools/msgevents/' });
  try {
    const { page, requests, errors, context } = await new_page(sub, { path: 'event/ContactCreated/' });
    assert.match(sub.url, /\/static\/tools\/msgevents\/$/);
    await page.waitForSelector('h1:text("ContactCreated")');
    // Through the site's own links: the catalog, back to the event, its example in the validator.
    await page.click('[data-nav="catalog"]');
    await page.waitForSelector('#aggregate-index');
    await page.click('table.events-table a:text-is("ContactCreated")');
    await page.waitForSelector('h1:text("ContactCreated")');
    await page.click('a.validate-this');
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true' && document.getElementById('view-validator'));
    await wait_validated(page, 0);
    assert.equal(new URL(page.url()).pathname, '/static/tools/msgevents/');
    assert.deepEqual(await counts(page), { critical: 0, error: 0, warning: 0, info: 0 });
    // Every request stayed under the sub-path.
    const paths = requests.map((r) => new URL(r.url).pathname);
    assert.ok(paths.length > 5);
    assert.deepEqual(paths.filter((p) => !p.startsWith('/static/tools/msgevents/')), []);
    assert.ok(paths.some((p) => p.endsWith('.wasm')), 'the .wasm was loaded');
    assert.deepEqual(await csp_violations(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await sub.close();
  }
});
