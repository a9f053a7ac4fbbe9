// Search over the docs, offline: the documents (events, aggregates, fields, rules, decisions,
// invariants) were written by scripts/build-site.mjs into search_index.json, and MiniSearch
// (vendor/minisearch.mjs) indexes them in the browser the first time the search field is used.
// Both are files of this site, so a search never leaves it.
//
// `/` anywhere outside a text field focuses the search field; Down moves into the results, Up and
// Down between them, Escape closes them; a result is a link to its page and anchor (a field's row,
// a rule's entry).
import { h, clear } from './dom.mjs';

const MAX_RESULTS = 12;
let engine = null; // Promise<{ mini, docs }>

function load() {
  if (!engine) {
    engine = (async () => {
      const [{ default: MiniSearch }, docs] = await Promise.all([
        import('./vendor/minisearch.mjs'),
        fetch(new URL('./search_index.json', import.meta.url)).then((r) => {
          if (!r.ok) throw new Error(`search_index.json: HTTP ${r.status}`);
          return r.json();
        }),
      ]);
      const mini = new MiniSearch({
        fields: ['title', 'text', 'context'],
        storeFields: ['title', 'kind', 'context', 'url'],
        // Identifiers are searched whole as well as by their parts (customer_id, payload.required).
        tokenize: (text) => {
          const words = String(text).split(/[\s,;:()"'`!?]+/).filter(Boolean).map((w) => w.replace(/\.$/, ''));
          const parts = words.flatMap((w) => w.split(/[._\-/]+/).filter((p) => p && p !== w));
          return [...words, ...parts];
        },
        searchOptions: { boost: { title: 4, context: 0.5 }, prefix: true, fuzzy: (term) => (term.length > 4 ? 0.2 : 0) },
      });
      mini.addAll(docs);
      return { mini, docs };
    })();
    engine.catch(() => {
      engine = null;
    });
  }
  return engine;
}

// The results for `query`: an exact title match first (a field or rule typed in full), then by score.
export async function search(query) {
  const q = query.trim();
  if (!q) return [];
  const { mini } = await load();
  const found = mini.search(q);
  const exact = q.toLowerCase();
  found.sort((a, b) => (b.title.toLowerCase() === exact) - (a.title.toLowerCase() === exact) || b.score - a.score);
  return found.slice(0, MAX_RESULTS);
}

function typing_in(el) {
  return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

export function init_search() {
  const form = document.getElementById('search-form');
  const input = document.getElementById('site-search');
  const box = document.getElementById('search-results');
  const list = document.getElementById('search-list');
  const count = document.getElementById('search-count');
  if (!form || !input) return;
  // Links in the index are from the site's root; this module sits at the root.
  const root = new URL('./', import.meta.url);
  let seq = 0;

  const close = () => {
    box.hidden = true;
  };
  const links = () => [...list.querySelectorAll('a')];

  async function update() {
    const id = ++seq;
    const q = input.value;
    if (!q.trim()) {
      clear(list);
      count.textContent = '';
      close();
      return;
    }
    let results;
    try {
      results = await search(q);
    } catch (error) {
      if (id !== seq) return;
      count.textContent = `Search is not available: ${error.message}`;
      box.hidden = false;
      return;
    }
    if (id !== seq) return;
    clear(list);
    for (const r of results) {
      list.append(h('li', {}, h('a', { href: new URL(r.url, root).href, 'data-kind': r.kind, 'data-title': r.title },
        h('span', { class: 'result-kind' }, r.kind), ' ',
        h('span', { class: 'result-title' }, r.title),
        r.context ? h('span', { class: 'result-context' }, ` · ${r.context}`) : null)));
    }
    count.textContent = results.length ? `${results.length} ${results.length === 1 ? 'result' : 'results'}` : 'No results';
    box.hidden = false;
  }

  input.addEventListener('focus', () => {
    load().catch(() => {});
    if (input.value.trim() && list.childElementCount) {
      box.hidden = false;
    }
  });
  input.addEventListener('input', update);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const first = links()[0];
    if (first) first.click();
  });
  form.addEventListener('keydown', (e) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (e.key === 'Escape') {
      close();
      input.focus();
    } else if (e.key === 'ArrowDown' && all.length) {
      e.preventDefault();
      all[Math.min(all.length - 1, at + 1)].focus();
    } else if (e.key === 'ArrowUp' && at >= 0) {
      e.preventDefault();
      if (at === 0) input.focus();
      else all[at - 1].focus();
    }
  });
  form.addEventListener('focusout', (e) => {
    if (!form.contains(e.relatedTarget)) close();
  });
  // A result on the same page only changes the hash: close the list and show the target.
  list.addEventListener('click', () => {
    close();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || typing_in(document.activeElement)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
}
