// Small DOM helpers. Every piece of text goes in through textContent (or createTextNode), never
// as HTML: event text, catalog text and finding messages can hold markup and must stay inert.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  set_attrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function set_attrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'hidden' || k === 'disabled' || k === 'checked' || k === 'selected') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// Inline text with `code` spans, as the catalog writes identifiers: text nodes and <code>, no HTML.
export function inline(text) {
  const out = [];
  const parts = String(text ?? '').split(/(`[^`]+`)/);
  for (const p of parts) {
    if (!p) continue;
    if (p.length > 2 && p.startsWith('`') && p.endsWith('`')) out.push(h('code', {}, p.slice(1, -1)));
    else out.push(document.createTextNode(p));
  }
  return out;
}

// A minimal Markdown renderer (headings, lists, tables, paragraphs, inline code and bold) that
// builds DOM nodes; used for the checklist when only its Markdown form is available.
export function markdown(md) {
  const root = document.createDocumentFragment();
  const lines = String(md).split(/\r?\n/);
  let list = null;
  let para = [];
  const flush = () => {
    if (para.length) root.append(h('p', {}, inline_md(para.join(' '))));
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*(?:[-*]|\d+\.)\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      list = null;
      const level = Math.min(6, heading[1].length + 1);
      root.append(h(`h${level}`, {}, inline_md(heading[2])));
    } else if (item) {
      flush();
      if (!list) {
        list = h(/^\s*\d+\./.test(line) ? 'ol' : 'ul');
        root.append(list);
      }
      list.append(h('li', {}, inline_md(item[1])));
    } else if (/^\s*\|/.test(line)) {
      flush();
      list = null;
      const table = h('table');
      for (; i < lines.length && /^\s*\|/.test(lines[i]); i++) {
        if (/^\s*\|[\s:|-]+\|\s*$/.test(lines[i])) continue;
        const cells = lines[i].trim().replace(/^\||\|$/g, '').split('|');
        table.append(h('tr', {}, cells.map((c) => h('td', {}, inline_md(c.trim())))));
      }
      i--;
      root.append(h('div', { class: 'table-wrap' }, table));
    } else if (!line.trim()) {
      flush();
      list = null;
    } else {
      list = null;
      para.push(line.trim());
    }
  }
  flush();
  return root;
}

function inline_md(text) {
  const out = [];
  for (const part of String(text).split(/(\*\*[^*]+\*\*)/)) {
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4) out.push(h('strong', {}, inline(part.slice(2, -2))));
    else out.push(...inline(part));
  }
  return out;
}

export function download_blob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function format_bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export const fmt_int = (n) => Number(n || 0).toLocaleString('en-US');
