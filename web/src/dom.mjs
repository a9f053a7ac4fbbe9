// Small DOM helpers for the validator page. Every piece of text goes in through textContent (or
// createTextNode), never as HTML: event text, catalog text and finding messages can hold markup
// and must stay inert.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  set_attrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

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

// Builds DOM nodes from markup values of html.mjs (the docs' renderer), for the parts of a page
// rendered in the browser (the compare report): text goes in as text nodes, attributes with
// setAttribute, so nothing becomes markup.
export function mount(node, in_svg = false) {
  if (node === undefined || node === null || node === false) return document.createDocumentFragment();
  if (Array.isArray(node)) {
    const frag = document.createDocumentFragment();
    for (const c of node) frag.append(mount(c, in_svg));
    return frag;
  }
  if (typeof node !== 'object' || !node.tag) return document.createTextNode(String(node));
  const svg_el = in_svg || node.tag === 'svg';
  const el = svg_el ? document.createElementNS(SVG_NS, node.tag) : document.createElement(node.tag);
  for (const [k, v] of Object.entries(node.attrs)) {
    if (v === undefined || v === null || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of node.children) el.append(mount(c, svg_el));
  return el;
}

export function download_blob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// `n` bytes in the unit `scale` bytes would be written in, so that "x of y" has one unit:
// "0.98 GB of 1.00 GB", not "1006.0 MB of 1.00 GB".
export function format_bytes(n, scale = n) {
  if (scale < 1024) return `${n} B`;
  if (scale < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (scale < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export const fmt_int = (n) => Number(n || 0).toLocaleString('en-US');
