// Markup as plain values, rendered to an HTML string: what the docs pages and diagrams are built
// with. The same code runs in Node (scripts/build-site.mjs prerenders every docs page from the
// package's catalog) and in a browser (the compat page renders a pasted catalog's report), so
// there is one renderer, not a DOM one for the page and a string one for the build.
//
//   h('p', { class: 'lead' }, 'Text ', h('code', {}, 'id'))  ->  an element value
//   render(node)                                             ->  '<p class="lead">Text <code>id</code></p>'
//
// Text and attribute values are always escaped: catalog and event text can hold markup and must
// stay inert. `raw()` is the one way to put markup in, for markup this module rendered itself.

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

class Element {
  constructor(tag, attrs, children) {
    this.tag = tag;
    this.attrs = attrs;
    this.children = children;
  }
}

class Raw {
  constructor(html) {
    this.html = html;
  }
}

function flatten(children, out = []) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) flatten(c, out);
    else out.push(c);
  }
  return out;
}

export function h(tag, attrs = {}, ...children) {
  return new Element(tag, { ...(attrs || {}) }, flatten(children));
}

// SVG elements are written the same way: inside <svg>, the HTML parser reads them as SVG.
export const svg = h;

export function raw(html) {
  return new Raw(String(html));
}

export function escape_text(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escape_attr(text) {
  return escape_text(text).replace(/"/g, '&quot;');
}

export function render(node) {
  if (node === undefined || node === null || node === false) return '';
  if (Array.isArray(node)) return node.map(render).join('');
  if (node instanceof Raw) return node.html;
  if (!(node instanceof Element)) return escape_text(node);
  let out = `<${node.tag}`;
  for (const [k, v] of Object.entries(node.attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (!/^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/.test(k)) throw new Error(`html: bad attribute name ${JSON.stringify(k)}`);
    out += v === true ? ` ${k}` : ` ${k}="${escape_attr(v)}"`;
  }
  out += '>';
  if (VOID.has(node.tag)) return out;
  for (const c of node.children) out += render(c);
  return `${out}</${node.tag}>`;
}

// Inline text with `code` spans, as the catalog writes identifiers.
export function inline(text) {
  const out = [];
  for (const p of String(text ?? '').split(/(`[^`]+`)/)) {
    if (!p) continue;
    if (p.length > 2 && p.startsWith('`') && p.endsWith('`')) out.push(h('code', {}, p.slice(1, -1)));
    else out.push(p);
  }
  return out;
}
