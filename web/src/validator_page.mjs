// The validator page: an editor (a textarea with a line-number gutter and a highlight band for the
// line a finding points at), file open and drop, options, a progress bar for large inputs, and the
// findings list with per-severity and per-rule counts, a severity filter, paging, copy and download.
//
// All validation happens in the worker (worker.mjs); this module only sends it Blobs and renders
// what comes back. Every text that came from an event or a finding is set with textContent.
import { h, clear, download_blob, format_bytes, fmt_int } from './dom.mjs';

const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const LINE_HEIGHT = 20; // px; must match .editor's line-height in style.css
const PAD_TOP = 8; // px; the textarea's padding-top
const PAD_LEFT = 10; // px; the textarea's padding-left
// Files up to this size are shown whole in the editor; larger ones are validated from disk in
// chunks and the editor shows only their beginning.
const EDITOR_LIMIT = 2 * 1024 * 1024;
const PREVIEW_BYTES = 256 * 1024;
// Lines cost the browser far more than bytes (a textarea and a gutter line each: 100,000 short
// lines took hundreds of MB): a file of more lines than this is validated from disk too, and
// the preview stops at PREVIEW_LINES.
const EDITOR_MAX_LINES = 20_000;
const PREVIEW_LINES = 2_000;
const AUTO_VALIDATE_MS = 350;
const SESSION_KEY = 'msgevents.validator';
const SESSION_LIMIT = 1024 * 1024; // characters of editor text kept for Back
// Inputs smaller than this validate too fast for a progress bar to mean anything.
const PROGRESS_MIN_BYTES = 512 * 1024;

const $ = (id) => document.getElementById(id);

export class ValidatorPage {
  // workers: the number of checking workers every run must use (the address's ?workers=N, for
  // tests and benchmarks; 1 = one session in the worker), or null for the worker's own choice.
  constructor({ worker, rule_href, workers = null }) {
    this.worker = worker;
    this.workers = workers;
    this.rule_href = rule_href;
    this.rules = new Map();
    this.is_ready = false;
    this.mode = 'text'; // 'text': the editor's content; 'file': a large file, validated from disk
    this.file = null;
    this.preview_lines = 0;
    this.seq = 0;
    this.job = null; // {id, running, total_findings, summary, by_code, cancelled}
    this.filter = new Set(SEVERITIES);
    this.page_index = 0;
    this.page_total = 0;
    this.page_size = 200;
    this.pending = false; // validate as soon as the worker is ready
    this.timer = null;
    this.last_lines = -1;
    this.can_redact = false;
    this.redacted = null;
    this.code_filter = null; // show only this rule's findings
    this.order = 'input'; // or 'severity': the list's order
    this.replaced = null; // what the last example or redaction load replaced, for Undo
    this.sev_buttons = new Map(); // severity -> its toggle, made once so focus stays on it

    this.editor = $('editor');
    this.gutter = $('gutter');
    this.highlight = $('editor-highlight');
    this.bind();
    this.restore_session();
    this.update_gutter();
    this.render_filter({ critical: 0, error: 0, warning: 0, info: 0 });
    this.set_status('Loading the validator…');
    $('validate').disabled = true;
  }

  bind() {
    const ed = this.editor;
    ed.addEventListener('input', () => {
      this.update_gutter();
      this.hide_highlight();
      if (!this.is_ready) return;
      clearTimeout(this.timer);
      if (ed.value.length <= EDITOR_LIMIT) this.timer = setTimeout(() => this.validate_now(), AUTO_VALIDATE_MS);
    });
    ed.addEventListener('scroll', () => this.sync_scroll());
    $('validate').addEventListener('click', () => this.validate_now());
    $('clear').addEventListener('click', () => {
      this.cancel();
      this.load_text('');
      this.reset_results();
      this.set_status('');
      ed.focus();
    });
    $('open-file').addEventListener('click', () => $('file-input').click());
    $('file-input').addEventListener('change', (e) => {
      const file = e.target.files && e.target.files[0];
      if (file) this.load_file(file);
    });
    $('profile').addEventListener('change', () => this.revalidate());
    $('strict').addEventListener('change', () => this.revalidate());
    $('cancel').addEventListener('click', () => this.cancel());
    for (const [id, step] of [['prev-page', -1], ['next-page', 1], ['prev-page-top', -1], ['next-page-top', 1]]) {
      $(id).addEventListener('click', () => this.request_page(this.page_index + step, { scroll: true, from: $(id) }));
    }
    const page_number = $('page-number');
    const go_to_page = () => {
      const n = Math.round(Number(page_number.value));
      const pages = Math.max(1, Math.ceil(this.page_total / this.page_size));
      if (!Number.isFinite(n) || n < 1 || n > pages) {
        this.set_status(`There are ${fmt_int(pages)} ${pages === 1 ? 'page' : 'pages'} of findings: choose 1 to ${fmt_int(pages)}.`);
        page_number.value = String(this.page_index + 1);
        return;
      }
      if (n - 1 !== this.page_index) this.request_page(n - 1, { scroll: true, from: page_number });
    };
    page_number.addEventListener('change', go_to_page);
    page_number.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        go_to_page();
      }
    });
    $('order').addEventListener('change', (e) => {
      this.order = e.target.value;
      this.request_page(0);
    });
    $('undo-replace').addEventListener('click', () => this.undo_replace());
    $('rule-filter-clear').addEventListener('click', () => {
      this.code_filter = null;
      this.request_page(0);
      $('findings-title-anchor').focus();
    });
    $('download').addEventListener('click', () => {
      if (!this.job || this.job.running || this.job.cancelled) return;
      // The worker writes the full report in the chosen format by a second pass over the input.
      const format = $('download-format').value;
      $('download').disabled = true;
      this.set_status(`Writing the ${format.toUpperCase()} report…`);
      this.worker.postMessage({ type: 'report', id: this.job.id, format });
    });

    $('example-picker').addEventListener('change', (e) => {
      const key = e.target.value;
      e.target.value = '';
      this.load_example(key);
    });
    $('redact').addEventListener('click', () => this.open_redaction());
    $('redact-run').addEventListener('click', () => this.run_redaction());
    $('redact-close').addEventListener('click', () => this.close_redaction());
    // Escape closes the panel from anywhere in it; Enter in the key field starts the redaction.
    $('redaction').addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close_redaction();
      }
    });
    $('redact-key').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !$('redact-run').disabled) {
        e.preventDefault();
        this.run_redaction();
      }
    });
    $('redact-use').addEventListener('click', () => {
      if (this.redacted === null) return;
      this.replace_text(this.redacted, 'Replaced the editor’s text with the redacted events.');
      $('profile').value = 'public';
      this.close_redaction();
      this.validate_now();
    });
    $('redact-download').addEventListener('click', () => {
      if (this.redacted === null) return;
      const { name, type } = redacted_file(this.redacted, this.source_name);
      download_blob(new Blob([this.redacted], { type }), name);
      $('redact-status').textContent = `Downloaded ${name}.`;
    });

    const box = $('view-validator');
    const hint = $('drop-hint');
    box.addEventListener('dragover', (e) => {
      if (!e.dataTransfer || ![...e.dataTransfer.types].includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      hint.hidden = false;
    });
    box.addEventListener('dragleave', (e) => {
      if (!box.contains(e.relatedTarget)) hint.hidden = true;
    });
    box.addEventListener('drop', (e) => {
      hint.hidden = true;
      const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (!file) return;
      e.preventDefault();
      this.load_file(file);
    });
  }

  // The docs are other pages: following a rule link and coming Back reloads this one. The text
  // being checked (up to SESSION_LIMIT), the options and the focused finding are kept in this
  // tab's sessionStorage (never sent anywhere, gone when the tab closes) and restored once.
  save_session() {
    try {
      if (this.mode !== 'text' || !this.editor.value.trim() || this.editor.value.length > SESSION_LIMIT) {
        sessionStorage.removeItem(SESSION_KEY);
        return;
      }
      const active = document.activeElement;
      const card = active && active.closest ? active.closest('.finding') : null;
      const focus = card ? { code: card.dataset.code, line: card.dataset.line, index: [...card.parentNode.children].indexOf(card), cls: active.classList[0] || '' } : null;
      sessionStorage.setItem(SESSION_KEY, JSON.stringify({
        text: this.editor.value, profile: $('profile').value, strict: $('strict').checked, source_name: this.source_name || null, focus,
      }));
    } catch {
      // Storage may be disabled or full: then Back shows an empty editor, as before.
    }
  }

  restore_session() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
      sessionStorage.removeItem(SESSION_KEY);
    } catch {
      saved = null;
    }
    window.addEventListener('pagehide', () => this.save_session());
    if (!saved || typeof saved.text !== 'string' || this.editor.value) return;
    this.load_text(saved.text);
    this.source_name = saved.source_name || null;
    if (saved.profile === 'public' || saved.profile === 'internal') $('profile').value = saved.profile;
    $('strict').checked = Boolean(saved.strict);
    this.restored_focus = saved.focus || null;
  }

  ready(data) {
    this.is_ready = true;
    this.can_redact = Boolean(data.can_redact);
    // Every catalog example, grouped by aggregate, one pick away.
    const picker = $('example-picker');
    this.examples = new Map();
    for (const agg of data.catalog.aggregates) {
      const group = h('optgroup', { label: agg.name });
      for (const ev of data.catalog.events.filter((e) => e.aggregate === agg.name)) {
        (ev.examples || []).forEach((ex, i) => {
          const key = `${ev.name}#${i}`;
          this.examples.set(key, typeof ex === 'string' ? ex : JSON.stringify(ex, null, 2));
          group.append(h('option', { value: key }, ev.examples.length > 1 ? `${ev.name} (${i + 1})` : ev.name));
        });
      }
      picker.append(group);
    }
    picker.disabled = false;
    $('redact').disabled = !this.can_redact;
    $('redact').title = this.can_redact ? '' : 'This build of the package cannot redact';
    for (const r of data.rules || []) this.rules.set(r.code, r);
    $('validate').disabled = false;
    this.set_status('Ready. Paste events, or open or drop a file.');
    if (this.pending) {
      this.pending = false;
      this.validate_now();
    } else if (this.editor.value.trim()) {
      this.validate_now();
    }
  }

  failed(message) {
    this.set_status(`The validator could not start: ${message}`);
  }

  // ---- the editor ---------------------------------------------------------------------------

  load_text(text, { keep_value = false } = {}) {
    this.mode = 'text';
    this.file = null;
    this.source_name = null; // the file the text came from, the report's input name
    this.editor.readOnly = false;
    if (!keep_value) {
      this.editor.value = text;
      $('replaced-note').hidden = true;
      this.replaced = null;
    }
    this.editor.scrollTop = 0;
    this.editor.scrollLeft = 0;
    $('source-note').hidden = true;
    this.update_gutter();
    this.hide_highlight();
  }

  // Replaces the editor's text (an example, the redacted events) so that it can be taken back:
  // through the textarea's own editing, so Ctrl+Z restores it, and with an Undo button that also
  // brings back a large file that was only previewed.
  replace_text(text, what) {
    const previous = this.mode === 'file'
      ? { mode: 'file', file: this.file }
      : { mode: 'text', text: this.editor.value, source_name: this.source_name };
    this.cancel();
    const undoable = this.mode === 'text' && !this.editor.readOnly && this.editor.value.length <= EDITOR_LIMIT && text.length <= EDITOR_LIMIT;
    if (undoable) {
      this.editor.focus({ preventScroll: true });
      this.editor.select();
      // execCommand keeps the change in the textarea's undo history; setting .value would not.
      if (!document.execCommand('insertText', false, text) || this.editor.value !== text) this.editor.value = text;
      this.load_text(this.editor.value, { keep_value: true });
    } else {
      this.load_text(text);
    }
    const had_input = previous.mode === 'file' || previous.text.trim() !== '';
    this.replaced = had_input ? previous : null;
    $('replaced-text').textContent = had_input ? `${what} Undo (or Ctrl+Z in the editor) brings back what was there.` : what;
    $('undo-replace').hidden = !had_input;
    $('replaced-note').hidden = false;
  }

  undo_replace() {
    const previous = this.replaced;
    if (!previous) return;
    this.replaced = null;
    $('replaced-note').hidden = true;
    if (previous.mode === 'file') {
      this.load_file(previous.file);
    } else {
      this.editor.focus({ preventScroll: true });
      this.editor.select();
      if (!document.execCommand('insertText', false, previous.text) || this.editor.value !== previous.text) this.editor.value = previous.text;
      this.load_text(this.editor.value, { keep_value: true });
      this.source_name = previous.source_name;
      this.validate_now();
    }
    this.set_status('Brought back the text that was replaced.');
    this.editor.focus();
  }

  // A catalog example by key ("<Event>#<n>", as the docs' "Validate this" links name it).
  load_example(key) {
    const text = this.examples && this.examples.get(key);
    if (!text) {
      this.set_status(`There is no example ${key} in this catalog.`);
      return false;
    }
    const [name, n] = key.split('#');
    this.replace_text(text, `Loaded the ${name} example${Number(n) > 0 ? ` ${Number(n) + 1}` : ''}.`);
    this.validate_now();
    this.editor.focus();
    return true;
  }

  async load_file(file) {
    this.cancel();
    $('file-input').value = '';
    const whole = file.size <= EDITOR_LIMIT ? await file.text() : null;
    if (whole !== null && line_count(whole, EDITOR_MAX_LINES) <= EDITOR_MAX_LINES) {
      this.load_text(whole);
      this.source_name = file.name;
      this.note(`Opened ${file.name} (${format_bytes(file.size)}).`);
    } else {
      const head = whole !== null ? whole.slice(0, PREVIEW_BYTES) : await file.slice(0, PREVIEW_BYTES).text();
      let cut = head.lastIndexOf('\n');
      for (let i = 0, at = -1; i < PREVIEW_LINES; i++) {
        at = head.indexOf('\n', at + 1);
        if (at === -1) break;
        if (i === PREVIEW_LINES - 1) cut = at;
      }
      const preview = cut > 0 ? head.slice(0, cut + 1) : head;
      this.load_text(preview);
      this.mode = 'file';
      this.file = file;
      this.editor.readOnly = true;
      this.preview_lines = preview.split('\n').length - (preview.endsWith('\n') ? 1 : 0);
      this.note(
        `${file.name} (${format_bytes(file.size)}) is validated from disk in chunks. ` +
          `The editor shows its first ${fmt_int(this.preview_lines)} lines, read-only; Clear to type again.`,
      );
    }
    this.validate_now();
  }

  note(text) {
    const el = $('source-note');
    el.textContent = text;
    el.hidden = false;
  }

  update_gutter() {
    const text = this.editor.value;
    let lines = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    if (lines !== this.last_lines) {
      this.last_lines = lines;
      const numbers = new Array(lines);
      for (let i = 0; i < lines; i++) numbers[i] = i + 1;
      this.gutter.textContent = numbers.join('\n');
      this.gutter.style.width = `${String(lines).length + 2}ch`;
    }
    this.sync_scroll();
  }

  sync_scroll() {
    this.gutter.scrollTop = this.editor.scrollTop;
    if (!this.highlight.hidden) this.place_highlight();
  }

  place_highlight() {
    const line = Number(this.highlight.dataset.line);
    this.highlight.style.top = `${PAD_TOP + (line - 1) * LINE_HEIGHT - this.editor.scrollTop}px`;
  }

  hide_highlight() {
    this.highlight.hidden = true;
    delete this.highlight.dataset.line;
  }

  // Scrolls the editor to `line`, puts the caret at `column` and highlights the line.
  jump(line, column) {
    if (!line) {
      this.set_status('This finding is about the input as a whole, not one line.');
      return;
    }
    const text = this.editor.value;
    const lines = this.last_lines;
    if (line > lines || (this.mode === 'file' && line > this.preview_lines)) {
      this.set_status(`Line ${fmt_int(line)} is past the part of the file shown in the editor.`);
      return;
    }
    let start = 0;
    for (let n = 1; n < line; n++) start = text.indexOf('\n', start) + 1;
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const caret = Math.min(end, start + Math.max(0, (column || 1) - 1));
    this.editor.focus({ preventScroll: true });
    this.editor.setSelectionRange(caret, caret);
    const target = (line - 1) * LINE_HEIGHT - this.editor.clientHeight / 3;
    this.editor.scrollTop = Math.max(0, target);
    // The column too: lines never wrap, so a column far right is off-screen until scrolled to.
    const x = PAD_LEFT + visual_columns(text.slice(start, caret)) * this.char_width();
    const view = this.editor.clientWidth;
    if (x < this.editor.scrollLeft + 2 * this.char_width() || x > this.editor.scrollLeft + view - 4 * this.char_width()) {
      this.editor.scrollLeft = Math.max(0, x - view / 3);
    }
    this.highlight.dataset.line = String(line);
    this.highlight.hidden = false;
    this.sync_scroll();
    $('editor-box').scrollIntoView({ block: 'nearest' });
    this.set_status(`Line ${fmt_int(line)}, column ${fmt_int(column || 1)} highlighted in the editor.`);
  }

  // The width of one character of the editor's monospace font, measured once.
  char_width() {
    if (!this.char_px) {
      const probe = h('span', { class: 'measure' }, 'x'.repeat(100));
      const style = getComputedStyle(this.editor);
      probe.style.font = style.font;
      probe.style.position = 'absolute';
      probe.style.visibility = 'hidden';
      probe.style.whiteSpace = 'pre';
      document.body.append(probe);
      this.char_px = probe.getBoundingClientRect().width / 100 || 7.8;
      probe.remove();
    }
    return this.char_px;
  }

  // ---- redaction (before / after) -------------------------------------------------------------

  close_redaction() {
    $('redaction').hidden = true;
    $('redact').focus();
  }

  open_redaction() {
    $('redaction').hidden = false;
    this.redacted = null;
    $('redact-use').disabled = true;
    $('redact-download').disabled = true;
    clear($('redact-after'));
    this.render_lines($('redact-before'), this.editor.value, null);
    $('redact-status').textContent = this.mode === 'file'
      ? 'Redaction works on the events in the editor; this file is too large to show there.'
      : 'Choose a key (or leave it empty for a random one) and press Redact.';
    $('redact-run').disabled = this.mode === 'file' || !this.editor.value.trim();
    $('redact-key').focus();
  }

  run_redaction() {
    if (this.mode === 'file') return;
    const text = this.editor.value;
    this.redact_id = (this.redact_id || 0) + 1;
    this.redact_source = text;
    $('redact-status').textContent = 'Redacting…';
    this.worker.postMessage({ type: 'redact', id: this.redact_id, text, key: $('redact-key').value, profile: 'public' });
  }

  on_redacted(msg) {
    if (msg.id !== this.redact_id) return;
    if (msg.error) {
      $('redact-status').textContent = `Redaction failed: ${msg.error}`;
      return;
    }
    this.redacted = msg.text;
    const before = this.redact_source.split('\n');
    const after = msg.text.split('\n');
    const changed = new Set();
    for (let i = 0; i < Math.max(before.length, after.length); i++) if (before[i] !== after[i]) changed.add(i);
    this.render_lines($('redact-before'), this.redact_source, changed);
    this.render_lines($('redact-after'), msg.text, changed);
    // Both panes open at the first redacted line.
    // ... and at its first changed column, which may be far to the right.
    const first_line = [...changed].sort((a, b) => a - b)[0];
    const column = first_line === undefined ? 0 : first_difference(before[first_line] || '', after[first_line] || '');
    for (const pre of [$('redact-before'), $('redact-after')]) {
      const first = pre.querySelector('.ln.changed');
      if (!first) continue;
      pre.scrollTop = Math.max(0, first.offsetTop - 60);
      const line_text = pre === $('redact-before') ? before[first_line] || '' : after[first_line] || '';
      const x = 10 + visual_columns(line_text.slice(0, column)) * this.char_width();
      pre.scrollLeft = x > pre.clientWidth * 0.6 ? Math.max(0, x - pre.clientWidth / 3) : 0;
    }
    const tokens = (msg.text.match(/redacted:[0-9a-f]{32}/g) || []).length;
    const status = $('redact-status');
    clear(status);
    // Redaction fails closed: what it could not read is left out, and the page says so first.
    const withheld = msg.withheld || { count: 0, first: [] };
    if (withheld.count > 0) {
      const lines = withheld.first.slice(0, 5).map((f) => f.line).join(', ');
      status.append(h('strong', { class: 'withheld sev-error', id: 'redact-withheld', title: withheld.first[0].message },
        `${fmt_int(withheld.count)} ${withheld.count === 1 ? 'event' : 'events'} withheld (line ${lines}${withheld.count > 5 ? ', …' : ''}): ${withheld.count === 1 ? 'it' : 'they'} could not be read for redaction, so none of ${withheld.count === 1 ? 'it' : 'them'} is in the output. `));
    }
    status.append(`${fmt_int(tokens)} ${tokens === 1 ? 'value' : 'values'} redacted on ${fmt_int(changed.size)} ${changed.size === 1 ? 'line' : 'lines'} (marked).`);
    $('redact-use').disabled = false;
    $('redact-download').disabled = false;
    document.body.dataset.redacted = String(msg.id);
  }

  // Text as one element a line (as text, never HTML), marking the changed lines; the first 2,000.
  render_lines(pre, text, changed) {
    clear(pre);
    const lines = text.split('\n');
    const shown = Math.min(lines.length, 2000);
    for (let i = 0; i < shown; i++) {
      pre.append(h('span', { class: changed && changed.has(i) ? 'ln changed' : 'ln', 'data-line': String(i + 1) }, lines[i] || ' '));
    }
    if (lines.length > shown) pre.append(h('span', { class: 'ln muted' }, `… ${fmt_int(lines.length - shown)} more lines`));
  }

  // ---- validation ---------------------------------------------------------------------------

  options() {
    return { profile: $('profile').value, strict: $('strict').checked, now: Date.now() };
  }

  revalidate() {
    if (this.mode === 'file' || this.editor.value.trim()) this.validate_now();
  }

  validate_now() {
    clearTimeout(this.timer);
    if (!this.is_ready) {
      this.pending = true;
      return;
    }
    const blob = this.mode === 'file' ? this.file : new Blob([this.editor.value], { type: 'text/plain' });
    if (this.job && this.job.running) this.worker.postMessage({ type: 'cancel', id: this.job.id });
    if (!blob || blob.size === 0 || (this.mode === 'text' && !this.editor.value.trim())) {
      this.job = null;
      this.reset_results();
      this.set_status('Nothing to validate yet.');
      return;
    }
    const id = ++this.seq;
    this.job = { id, running: true, total: blob.size, total_findings: 0, summary: null, by_code: {}, started: performance.now() };
    this.reset_results();
    $('results').hidden = false;
    $('summary-text').textContent = 'Validating…';
    const show_progress = blob.size >= PROGRESS_MIN_BYTES;
    $('progress').hidden = !show_progress;
    $('cancel').disabled = false;
    $('progress-bar').value = 0;
    $('progress-text').textContent = `0 events · ${format_bytes(0, blob.size)} of ${format_bytes(blob.size)}`;
    document.body.dataset.validating = 'true';
    const name = this.mode === 'file' ? this.file.name : this.source_name || 'editor';
    this.worker.postMessage({ type: 'validate', id, blob, name, options: this.options(), workers: this.workers });
  }

  cancel() {
    if (this.job && this.job.running) {
      this.worker.postMessage({ type: 'cancel', id: this.job.id });
      $('cancel').disabled = true;
      $('progress-text').textContent += ' · cancelling…';
    }
  }

  on_message(msg) {
    if (msg.type === 'redacted') return this.on_redacted(msg);
    if (!this.job || msg.id !== this.job.id) return;
    if (msg.type === 'progress') this.on_progress(msg);
    else if (msg.type === 'done') this.on_done(msg);
    else if (msg.type === 'page') this.on_page(msg);
    else if (msg.type === 'report') this.on_report(msg);
  }

  on_progress(msg) {
    const frac = msg.total ? msg.bytes / msg.total : 0;
    $('progress-bar').value = frac;
    $('progress-text').textContent =
      `${fmt_int(msg.events)} events · ${format_bytes(msg.bytes, msg.total)} of ${format_bytes(msg.total)} ` +
      `(${Math.floor(frac * 100)}%) · ${fmt_int(msg.total_findings)} findings`;
    if (msg.counts) this.render_filter(msg.counts);
    // The list fills as findings arrive, up to one page; the rest are paged once the run ends.
    const list = $('findings');
    for (const f of msg.fresh || []) {
      if (list.childElementCount >= this.page_size) break;
      if (this.filter.has(f.severity)) list.append(this.render_finding(f));
    }
  }

  on_report(msg) {
    $('download').disabled = false;
    if (msg.error) {
      this.set_status(`The report could not be written: ${msg.error}`);
      return;
    }
    const ext = { json: 'json', sarif: 'sarif', junit: 'xml', github: 'txt', text: 'txt' }[msg.format] || 'txt';
    download_blob(msg.blob, `msgevents-report${msg.format === 'github' ? '-github' : ''}.${ext}`);
    this.set_status(`Downloaded the ${msg.format.toUpperCase()} report.`);
  }

  on_done(msg) {
    const job = this.job;
    job.running = false;
    delete document.body.dataset.validating;
    $('progress').hidden = !(job.total >= PROGRESS_MIN_BYTES);
    $('cancel').disabled = true;
    if (msg.error) {
      $('summary-text').textContent = `Validation failed: ${msg.error}`;
      // What the run listed as it went is not all it would have found: no list rather than part of one.
      clear($('findings'));
      document.body.dataset.validated = String(job.id);
      return;
    }
    job.summary = msg.summary;
    job.by_code = msg.by_code || {};
    job.total_findings = msg.total_findings;
    job.cancelled = msg.cancelled;
    const s = msg.summary || { events: 0, critical: 0, error: 0, warning: 0, info: 0 };
    $('progress-bar').value = msg.total ? msg.bytes / msg.total : 1;
    $('progress-text').textContent = msg.cancelled
      ? `Cancelled after ${format_bytes(msg.bytes, msg.total)} of ${format_bytes(msg.total)}`
      : `Done: ${format_bytes(msg.total)} in ${((performance.now() - job.started) / 1000).toFixed(1)} s` +
        (msg.workers ? ` on ${msg.workers} checking workers` : '');
    const parts = SEVERITIES.filter((k) => s[k]).map((k) => `${fmt_int(s[k])} ${label(k, s[k])}`);
    const head = `${msg.cancelled ? 'Cancelled: ' : ''}${fmt_int(s.events)} ${s.events === 1 ? 'event' : 'events'} checked`;
    $('summary-text').textContent = msg.total_findings
      ? `${head}: ${fmt_int(msg.total_findings)} ${msg.total_findings === 1 ? 'finding' : 'findings'} (${parts.join(', ')}).`
      : `${head}: no findings.`;
    this.render_filter(s);
    this.render_by_rule(job.by_code);
    this.render_aggregates(msg.aggregates || [], msg.aggregates_total || 0);
    job.kept = msg.kept || 0;
    $('download').disabled = Boolean(msg.cancelled);
    $('download').title = msg.cancelled ? 'A cancelled run has no full report: validate again' : '';
    this.request_page(0);
    this.set_status(msg.cancelled ? 'Validation cancelled.' : 'Validation finished.');
    document.body.dataset.validated = String(job.id);
  }

  // Asks the worker for page `index`. `scroll`: bring the list's start into view when it comes
  // (after Next the reader wants the first new finding, not the bottom); `from`: the control that
  // asked, which keeps focus unless it is disabled on the new page.
  request_page(index, { scroll = false, from = null } = {}) {
    if (!this.job || this.job.running || index < 0) return;
    this.page_request = { scroll, from };
    this.worker.postMessage({ type: 'page', id: this.job.id, index, severities: [...this.filter], code: this.code_filter, order: this.order });
  }

  on_page(msg) {
    this.page_index = msg.index;
    this.page_total = msg.total;
    this.page_size = msg.page_size || this.page_size;
    const list = clear($('findings'));
    for (const f of msg.findings) list.append(this.render_finding(f));
    const first = msg.total ? msg.index * this.page_size + 1 : 0;
    const last = msg.index * this.page_size + msg.findings.length;
    // Memory is bounded: only the first findings (and the first of each rule) are kept to list.
    const found = msg.total_found ?? msg.total;
    const of_all = found > msg.total
      ? ` listed (${fmt_int(found)} found: the downloaded report has them all)`
      : this.job && this.job.total_findings !== msg.total ? ` (filtered from ${fmt_int(this.job.total_findings)})` : '';
    const chip = $('rule-filter');
    chip.hidden = !this.code_filter;
    $('rule-filter-code').textContent = this.code_filter || '';
    $('page-text').textContent = msg.total ? `Findings ${fmt_int(first)}–${fmt_int(last)} of ${fmt_int(msg.total)}${of_all}` : `No findings to show${of_all}`;
    const pages = Math.max(1, Math.ceil(msg.total / this.page_size));
    for (const id of ['prev-page', 'prev-page-top']) $(id).disabled = msg.index === 0;
    for (const id of ['next-page', 'next-page-top']) $(id).disabled = last >= msg.total;
    $('page-number').value = String(msg.index + 1);
    $('page-number').max = String(pages);
    $('page-count').textContent = fmt_int(pages);
    $('page-number').disabled = pages <= 1;
    list.dataset.page = String(msg.index);
    if (this.restored_focus) {
      const f = this.restored_focus;
      this.restored_focus = null;
      const card = list.children[f.index];
      const target = card && card.dataset.code === f.code ? card.querySelector(f.cls ? `.${CSS.escape(f.cls)}` : 'a.code') || card.querySelector('a.code') : null;
      if (target) target.focus();
    }
    list.dataset.order = msg.order || 'input';
    const request = this.page_request || {};
    this.page_request = null;
    if (request.scroll) $('pager-top').scrollIntoView({ block: 'start' });
    // Focus stays where it was; a Next that is now disabled hands it to the page number.
    if (request.from && request.from.disabled) ($('page-number').disabled ? list : $('page-number')).focus();
  }

  // ---- rendering ----------------------------------------------------------------------------

  reset_results() {
    this.code_filter = null;
    $('rule-filter').hidden = true;
    this.page_index = 0;
    clear($('findings'));
    clear($('by-rule-body'));
    $('summary-text').textContent = '';
    $('page-text').textContent = '';
    for (const id of ['prev-page', 'next-page', 'prev-page-top', 'next-page-top', 'page-number']) $(id).disabled = true;
    $('download').disabled = true;
    $('aggregates').hidden = true;
    $('progress').hidden = true;
    this.render_filter({ critical: 0, error: 0, warning: 0, info: 0 });
    this.hide_highlight();
    if (!this.job) $('results').hidden = true;
  }

  // The severity toggles are made once and updated in place: re-creating them would drop the
  // keyboard focus of the one just pressed.
  render_filter(counts) {
    this.counts = counts;
    const box = $('sev-filter');
    if (!this.sev_buttons.size) {
      box.append(h('span', { class: 'filter-label' }, 'Show:'));
      for (const sev of SEVERITIES) {
        const button = h('button', {
          type: 'button',
          class: `sev-toggle sev-${sev}`,
          'data-severity': sev,
          onclick: () => {
            if (this.filter.has(sev)) this.filter.delete(sev);
            else this.filter.add(sev);
            this.render_filter(this.counts);
            if (this.job && !this.job.running) this.request_page(0);
          },
        }, h('span', { class: 'sev-name' }, title_case(sev)), ' ', h('span', { class: 'count' }, '0'));
        this.sev_buttons.set(sev, button);
        box.append(button);
      }
    }
    for (const sev of SEVERITIES) {
      const button = this.sev_buttons.get(sev);
      const n = counts[sev] || 0;
      button.setAttribute('aria-pressed', String(this.filter.has(sev)));
      button.dataset.count = String(n);
      button.querySelector('.count').textContent = fmt_int(n);
    }
  }

  render_by_rule(by_code) {
    const body = clear($('by-rule-body'));
    const rows = [];
    for (const [code, per] of Object.entries(by_code)) {
      for (const sev of SEVERITIES) if (per[sev]) rows.push({ code, sev, n: per[sev] });
    }
    rows.sort((a, b) => b.n - a.n || a.code.localeCompare(b.code));
    for (const r of rows) {
      body.append(
        h(
          'tr',
          { 'data-code': r.code },
          h('td', { 'data-label': 'Rule' }, h('a', { href: this.rule_href(r.code), class: 'code' }, r.code)),
          h('td', { 'data-label': 'Severity' }, h('span', { class: `sev sev-${r.sev}` }, r.sev)),
          h('td', { class: 'num', 'data-label': 'Count' }, fmt_int(r.n)),
          h('td', { class: 'only-cell' }, h('button', {
            type: 'button',
            class: 'only-rule',
            'aria-label': `Show only ${r.code} findings`,
            onclick: () => {
              this.code_filter = r.code;
              this.request_page(0, { scroll: true });
            },
          }, 'Show only')),
        ),
      );
    }
    // Always there while results are shown: appearing only at the end would push the list down.
    if (!rows.length) body.append(h('tr', {}, h('td', { colspan: '4' }, 'No findings.')));
  }

  render_aggregates(aggs, total) {
    const box = $('aggregates');
    const body = clear($('aggregates-body'));
    if (!aggs.length) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    for (const a of aggs) {
      body.append(
        h(
          'tr',
          {},
          h('td', {}, a.aggregate_type),
          h('td', {}, h('code', {}, a.aggregate_id)),
          h('td', { class: 'num' }, fmt_int(a.events)),
          h('td', {}, `${a.first_version}–${a.last_version}`),
          h('td', {}, a.final_state || '—'),
          h('td', { class: 'num' }, fmt_int(a.problems)),
        ),
      );
    }
    $('aggregates-note').textContent = total > aggs.length ? `The first ${fmt_int(aggs.length)} of ${fmt_int(total)} aggregates; the downloaded report has them all.` : '';
  }

  render_finding(f) {
    const rule = this.rules.get(f.code);
    const line = Number(f.line) || 0;
    const col = Number(f.column) || 0;
    const where = line ? `${line}:${col}` : '—';
    const li = h(
      'li',
      { class: `finding sev-${f.severity}`, 'data-severity': f.severity, 'data-code': f.code, 'data-line': String(line) },
      h(
        'div',
        { class: 'finding-head' },
        h('span', { class: `sev sev-${f.severity}` }, f.severity),
        h('a', { class: 'code', href: this.rule_href(f.code), title: rule ? rule.title : 'Open this rule in the checklist' }, f.code),
        // Named by what it shows (speech input can say "click 10:15"); the title describes it.
        h(
          'button',
          { type: 'button', class: 'loc', title: line ? `Go to line ${line}, column ${col}` : 'The finding is about the whole input', onclick: () => this.jump(line, col) },
          where,
        ),
        h('button', { type: 'button', class: 'copy', 'aria-label': `Copy finding ${f.code} at ${where}`, onclick: () => this.copy(f) }, 'Copy'),
      ),
      h('p', { class: 'msg' }, this.message_parts(f.message)),
      h(
        'p',
        { class: 'meta' },
        'Pointer ',
        h('code', { class: 'ptr' }, f.pointer === '' ? '""' : f.pointer),
        f.event_index >= 0 ? ` · event ${fmt_int(Number(f.event_index) + 1)}` : ' · whole input',
      ),
    );
    li.addEventListener('click', (e) => {
      if (e.target.closest('a, button')) return;
      this.jump(line, col);
    });
    return li;
  }

  // A finding's message with each "line N" as a link into the editor, and "event index N" (the
  // core counts events from 0) shown as "event N+1", as the card's own "event" counts them.
  message_parts(message) {
    const out = [];
    const re = /\bline (\d+)(?: \(event index (\d+)\))?/g;
    let at = 0;
    for (let m = re.exec(message); m; m = re.exec(message)) {
      out.push(message.slice(at, m.index));
      const n = Number(m[1]);
      out.push(h('button', { type: 'button', class: 'line-link', title: `Go to line ${n}`, onclick: () => this.jump(n, 1) }, `line ${n}`));
      if (m[2] !== undefined) out.push(` (event ${fmt_int(Number(m[2]) + 1)})`);
      at = m.index + m[0].length;
    }
    out.push(message.slice(at));
    return out;
  }

  async copy(f) {
    const text = JSON.stringify(f, null, 2);
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const ta = h('textarea', { class: 'visually-hidden', readonly: true });
      ta.value = text;
      document.body.append(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    this.set_status(`Copied finding ${f.code} to the clipboard.`);
  }

  set_status(text) {
    $('status').textContent = text;
  }
}

// Columns `text` takes in the editor (tab-size 2; tabs are rare in events).
function visual_columns(text) {
  let n = 0;
  for (const ch of text) n += ch === '\t' ? 2 - (n % 2) : 1;
  return n;
}

function first_difference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

// The redacted download's name and type: NDJSON stays NDJSON (.ndjson), one JSON document (an
// event or an array) stays .json; the source file's name is kept when there is one.
export function redacted_file(text, source_name) {
  let single = false;
  try {
    JSON.parse(text);
    single = true;
  } catch {
    single = false;
  }
  const ext = single ? 'json' : 'ndjson';
  const base = source_name ? source_name.replace(/\.(json|ndjson|jsonl|txt)$/i, '') : 'events';
  return { name: `${base}.redacted.${ext}`, type: single ? 'application/json' : 'application/x-ndjson' };
}

// Lines in `text`, counting no further than `limit` + 1.
function line_count(text, limit) {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && lines <= limit; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function label(sev, n) {
  if (sev === 'error') return n === 1 ? 'error' : 'errors';
  if (sev === 'warning') return n === 1 ? 'warning' : 'warnings';
  return sev;
}

function title_case(s) {
  return s[0].toUpperCase() + s.slice(1);
}
