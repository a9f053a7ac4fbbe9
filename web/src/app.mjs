// The site's entry point: starts the validator worker, routes between the validator page and the
// catalog docs (hash routes, so the site works from any folder of any static host), and keeps the
// validator page's state while the reader looks at the docs.
//
// Routes: #/ (validator), #/catalog, #/aggregate/<Name>, #/event/<Name>, #/envelope,
//         #/checklist, #/checklist/<rule code> (scrolls to the rule), #/change-policy
import { ValidatorPage } from './validator_page.mjs';
import { render_docs } from './docs.mjs';
import { h, clear } from './dom.mjs';

const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });

const state = { data: null, failed: null };
const waiting = [];

const page = new ValidatorPage({
  worker,
  rule_href: (code) => `#/checklist/${encodeURIComponent(code)}`,
});

worker.addEventListener('message', (event) => {
  const msg = event.data;
  if (msg.type === 'ready') {
    state.data = { ...msg };
    delete state.data.type;
    document.getElementById('catalog-version').textContent = `v${msg.catalog.catalog_version}`;
    document.documentElement.dataset.ready = 'true';
    page.ready(state.data);
    route();
    for (const fn of waiting.splice(0)) fn();
  } else if (msg.type === 'fatal') {
    state.failed = msg.message;
    page.failed(msg.message);
    route();
  } else {
    page.on_message(msg);
  }
});
worker.addEventListener('error', (event) => {
  state.failed = event.message || 'the validator worker could not start';
  page.failed(state.failed);
});

function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, ''));
  const parts = hash.replace(/^\/?/, '').split('/');
  const name = parts[0] || 'validator';
  const arg = parts.slice(1).join('/');
  const validator_view = document.getElementById('view-validator');
  const docs_view = document.getElementById('view-docs');
  for (const a of document.querySelectorAll('[data-nav]')) {
    const current =
      a.dataset.nav === name ||
      (a.dataset.nav === 'catalog' && (name === 'event' || name === 'aggregate'));
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (name === 'validator' || name === '') {
    validator_view.hidden = false;
    docs_view.hidden = true;
    document.title = 'msgevents: validate domain events';
    return;
  }
  validator_view.hidden = true;
  docs_view.hidden = false;
  clear(docs_view);
  if (!state.data) {
    docs_view.append(h('p', { class: 'status' }, state.failed ? `The catalog could not be loaded: ${state.failed}` : 'Loading the catalog…'));
    return;
  }
  const { title, focus } = render_docs(docs_view, name, arg, state.data, {
    validate_example: (text) => {
      page.load_text(text);
      location.hash = '#/';
      page.validate_now();
    },
  });
  document.title = `${title} · msgevents`;
  const target = focus ? document.getElementById(focus) : null;
  if (target) {
    target.classList.add('targeted');
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  } else {
    window.scrollTo(0, 0);
    const heading = docs_view.querySelector('h1');
    if (heading) heading.focus({ preventScroll: true });
  }
}

window.addEventListener('hashchange', route);
route();
