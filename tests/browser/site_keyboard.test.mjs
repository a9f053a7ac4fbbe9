// The validator page for keyboard users, long runs and phones, in headless Chromium: focus stays
// on a control that is re-rendered, a jump to a finding brings its line and column into the
// editor's visible box, pages of findings from the top pager or by number, loading an example can
// be undone, findings sorted by severity, line numbers in messages as links and events counted
// from 1, the redaction panel's Escape and Enter, its download's name, and the phone layout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { open_site, new_page, paste_and_validate, wait_validated, findings, screenshot, site_catalog, example_of, SCREENSHOTS } from './site/harness.mjs';

let site;
let catalog;

before(async () => {
  ({ catalog } = await site_catalog());
  site = await open_site();
});

after(async () => {
  await site?.close();
  console.log(`screenshots: ${SCREENSHOTS}`);
});

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? el.id || el.dataset.severity || el.className : null;
});

test('Space on a severity toggle filters and keeps the focus on it; Tab goes on from there', async () => {
  const { page, context } = await new_page(site);
  const event = example_of(catalog, 'ContactCreated');
  event.version = '1';
  event.surprise = true;
  await paste_and_validate(page, JSON.stringify(event, null, 2));
  const before_list = await findings(page);
  assert.ok(before_list.some((f) => f.severity === 'warning') && before_list.some((f) => f.severity !== 'warning'));
  await page.focus('#sev-filter [data-severity="warning"]');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('#sev-filter [data-severity="warning"]').getAttribute('aria-pressed') === 'false');
  await page.waitForFunction(() => ![...document.querySelectorAll('#findings .finding')].some((f) => f.dataset.severity === 'warning'));
  assert.equal(await focused(page), 'warning');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelectorAll('#findings .finding[data-severity="warning"]').length > 0);
  assert.equal(await focused(page), 'warning');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'info');
  // The focus ring is visible on it.
  assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'solid');
  // The hidden file input is no tab stop: from "Open file…" Tab goes straight to Validate.
  await page.focus('#open-file');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'validate');
  await context.close();
});

test('a long NDJSON run: the top pager, page N by number, and a jump that brings line and column into view', async () => {
  const { page, context } = await new_page(site);
  // 401 copies of one event: each after the first is a redelivery (stream.duplicate) found at
  // column 292 of its line, far right of a 1280 px wide editor.
  const line = JSON.stringify(example_of(catalog, 'CustomerCreated'));
  const text = `${Array.from({ length: 401 }, () => line).join('\n')}\n`;
  await paste_and_validate(page, text);
  assert.equal(await page.textContent('#page-text'), 'Findings 1–200 of 400');
  assert.equal(await page.textContent('#page-count'), '2');
  // Next at the bottom of the list: the list's start comes into view, the focus stays on Next...
  await page.focus('#next-page');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('findings').dataset.page === '1');
  const top = await page.$eval('#pager-top', (el) => el.getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 200, `the top pager is at ${top}px`);
  // ... which, now disabled on the last page, hands it to the page number.
  assert.equal(await focused(page), 'page-number');
  // Page 1 by number, from the keyboard.
  await page.fill('#page-number', '1');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('findings').dataset.page === '0');
  await page.fill('#page-number', '9');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('#status'), /There are 2 pages of findings/);
  await page.click('#next-page-top');
  await page.waitForFunction(() => document.getElementById('findings').dataset.page === '1');
  assert.equal(await page.textContent('#page-text'), 'Findings 201–400 of 400');

  // The last finding: line 401, column 292. Its button shows "401:292" and is named so.
  const last = page.locator('#findings .finding[data-line="401"] button.loc');
  assert.equal(await last.textContent(), '401:292');
  await last.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#editor-highlight:not([hidden])');
  const box = await page.evaluate(() => {
    const ed = document.getElementById('editor');
    const style = getComputedStyle(ed);
    const probe = document.createElement('span');
    probe.style.font = style.font;
    probe.style.whiteSpace = 'pre';
    probe.style.position = 'absolute';
    probe.textContent = ed.value.slice(ed.value.lastIndexOf('\n', ed.selectionStart - 1) + 1, ed.selectionStart);
    document.body.append(probe);
    const x = parseFloat(style.paddingLeft) + probe.getBoundingClientRect().width - ed.scrollLeft;
    probe.remove();
    const caret_line = ed.value.slice(0, ed.selectionStart).split('\n').length;
    const y = parseFloat(style.paddingTop) + (caret_line - 1) * parseFloat(style.lineHeight) - ed.scrollTop;
    return { x, y, width: ed.clientWidth, height: ed.clientHeight, caret_line, scroll_left: ed.scrollLeft };
  });
  assert.equal(box.caret_line, 401);
  assert.ok(box.scroll_left > 0, 'the editor did not scroll sideways');
  assert.ok(box.x >= 0 && box.x <= box.width, `column 292 is at x=${box.x} of ${box.width}`);
  assert.ok(box.y >= 0 && box.y + 20 <= box.height, `line 401 is at y=${box.y} of ${box.height}`);
  await screenshot(page, 'validator-jump-column');

  // A line number in a message is a link into the editor, and events count from 1 as the card does.
  const card = page.locator('#findings .finding[data-line="401"]');
  const message = await card.locator('.msg').textContent();
  assert.match(message, /at line 1 \(event 1\)/);
  assert.doesNotMatch(message, /event index/);
  assert.match(await card.locator('.meta').textContent(), /event 401$/);
  await card.locator('.msg button.line-link').click();
  await page.waitForFunction(() => document.getElementById('editor-highlight').dataset.line === '1');
  await context.close();
});

test('findings in input order or by severity, worst first', async () => {
  const { page, context } = await new_page(site);
  const event = example_of(catalog, 'ContactCreated');
  event.surprise = true; // a warning on line 1
  await paste_and_validate(page, `${JSON.stringify(event)}\n{}\n`); // criticals on line 2
  const rank = { critical: 0, error: 1, warning: 2, info: 3 };
  const input_order = (await findings(page)).map((f) => f.severity);
  assert.equal(input_order[0], 'warning');
  assert.ok(input_order.includes('critical'));
  await page.selectOption('#order', 'severity');
  await page.waitForFunction(() => document.getElementById('findings').dataset.order === 'severity');
  const sorted = (await findings(page)).map((f) => f.severity);
  assert.deepEqual(sorted, [...input_order].sort((a, b) => rank[a] - rank[b]));
  assert.equal(sorted[0], 'critical');
  await context.close();
});

test('loading an example can be undone, by the Undo button and by Ctrl+Z', async () => {
  const { page, context } = await new_page(site);
  const mine = '{"event_name": "MyOwnEvent"}';
  await paste_and_validate(page, mine);
  await page.selectOption('#example-picker', 'CustomerCreated#0');
  await page.waitForFunction(() => !document.getElementById('replaced-note').hidden);
  const example = JSON.stringify(catalog.events.find((e) => e.name === 'CustomerCreated').examples[0], null, 2);
  assert.equal(await page.inputValue('#editor'), example);
  assert.match(await page.textContent('#replaced-text'), /Loaded the CustomerCreated example\. Undo/);
  await page.click('#undo-replace');
  assert.equal(await page.inputValue('#editor'), mine);
  assert.equal(await page.isVisible('#replaced-note'), false);
  // Ctrl+Z in the editor: the textarea's own undo history has the replacement.
  await page.selectOption('#example-picker', 'CustomerCreated#0');
  await page.waitForFunction((t) => document.getElementById('editor').value === t, example);
  await page.focus('#editor');
  await page.keyboard.press('Control+z');
  assert.equal(await page.inputValue('#editor'), mine);
  // "Validate this" from a docs page, with text in the editor: undoable as well.
  await page.goto(`${site.url}?example=ContactCreated%230`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await wait_validated(page, 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'editor');
  await page.click('#undo-replace');
  assert.equal(await page.inputValue('#editor'), mine);
  await context.close();
});

test('the redaction panel: Enter in the key field runs it, Escape closes it, the download keeps NDJSON', async () => {
  const { page, context } = await new_page(site);
  const ev = example_of(catalog, 'ContactCreated');
  await paste_and_validate(page, `${JSON.stringify(ev)}\n${JSON.stringify({ ...ev, event_id: '019a534a-3749-7737-9a21-2e0131495930' })}\n`);
  await page.focus('#redact');
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'redact-key');
  await page.keyboard.type('my key');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.redacted);
  assert.match(await page.textContent('#redact-status'), /values? redacted/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#redact-download')]);
  assert.equal(download.suggestedFilename(), 'events.redacted.ndjson');
  const lines = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(lines.length, 2);
  await page.focus('#redact-key');
  await page.keyboard.press('Escape');
  assert.equal(await page.isVisible('#redaction'), false);
  assert.equal(await focused(page), 'redact');
  // One pretty-printed event stays .json.
  await paste_and_validate(page, JSON.stringify(ev, null, 2));
  await page.click('#redact');
  await page.click('#redact-run');
  await page.waitForFunction(() => Number(document.body.dataset.redacted) >= 2);
  const [single] = await Promise.all([page.waitForEvent('download'), page.click('#redact-download')]);
  assert.equal(single.suggestedFilename(), 'events.redacted.json');
  await context.close();
});

test('redaction: both panes open at the first redacted value, however far right it is', async () => {
  const { page, context } = await new_page(site);
  // One minified event a line: its personal data sits some 300 characters into the line.
  const ev = example_of(catalog, 'ContactCreated');
  const line = JSON.stringify(ev);
  await paste_and_validate(page, `${line}\n`);
  await page.click('#redact');
  await page.click('#redact-run');
  await page.waitForFunction(() => document.body.dataset.redacted);
  const panes = await page.evaluate(() => ['redact-before', 'redact-after'].map((id) => {
    const pre = document.getElementById(id);
    const before = document.querySelector('#redact-before .ln.changed').textContent;
    const after = document.querySelector('#redact-after .ln.changed').textContent;
    let column = 0;
    while (before[column] === after[column]) column++;
    const ln = pre.querySelector('.ln.changed');
    const range = document.createRange();
    range.setStart(ln.firstChild, column);
    range.setEnd(ln.firstChild, column + 1);
    const r = range.getBoundingClientRect();
    const box = pre.getBoundingClientRect();
    return { id, column, left: r.left - box.left, width: pre.clientWidth, scrolled: pre.scrollLeft };
  }));
  for (const p of panes) {
    assert.ok(p.column > 100, `${p.id}: the first redacted value is at column ${p.column}`);
    assert.ok(p.scrolled > 0, `${p.id}: not scrolled sideways`);
    assert.ok(p.left >= 0 && p.left < p.width, `${p.id}: column ${p.column} at x=${p.left} of ${p.width}`);
  }
  await screenshot(page, 'redaction-first-change');
  await context.close();
});

test('on a phone: "Show only" in reach, the diagram says it scrolls, the placeholder fits', async () => {
  const { page, context } = await new_page(site, { viewport: { width: 390, height: 844 } });
  const placeholder = await page.evaluate(() => {
    const ed = document.getElementById('editor');
    const style = getComputedStyle(ed);
    const probe = document.createElement('span');
    probe.style.font = style.font;
    probe.style.whiteSpace = 'pre';
    probe.style.position = 'absolute';
    document.body.append(probe);
    const widths = ed.placeholder.split('\n').map((l) => {
      probe.textContent = l;
      return probe.getBoundingClientRect().width;
    });
    probe.remove();
    return { widest: Math.max(...widths), room: ed.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) };
  });
  assert.ok(placeholder.widest <= placeholder.room, `placeholder ${placeholder.widest}px in ${placeholder.room}px`);
  const event = example_of(catalog, 'ContactCreated');
  event.version = '1';
  await paste_and_validate(page, JSON.stringify(event, null, 2));
  await page.click('#by-rule summary');
  const button = await page.$eval('#by-rule-body button.only-rule', (b) => {
    const r = b.getBoundingClientRect();
    return { left: r.left, right: r.right, width: innerWidth };
  });
  assert.ok(button.left >= 0 && button.right <= button.width, JSON.stringify(button));
  await screenshot(page, 'validator-phone-by-rule', { fullPage: true });
  await page.goto(`${site.url}aggregate/Conversation/`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  const diagram = await page.$eval('figure.diagram-box', (f) => ({ scrolls: f.scrollWidth > f.clientWidth, focusable: f.tabIndex === 0 }));
  assert.deepEqual(diagram, { scrolls: true, focusable: true });
  assert.ok(await page.isVisible('.diagram-hint'), 'no sign that the diagram scrolls');
  await context.close();
});
