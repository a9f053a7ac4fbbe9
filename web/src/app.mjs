// The validator page's entry point: sends old hash links (#/catalog, #/event/X, ...) on to the
// docs pages that replaced them, starts the validator worker, and loads a catalog example asked
// for by a docs page's "Validate this" (?example=<Event>#<n>).
import { legacy_target } from './routes.mjs';
import { ValidatorPage } from './validator_page.mjs';
import { init_search } from './search.mjs';

function follow_legacy_link() {
  const moved = legacy_target(location.hash);
  if (moved) location.replace(new URL(moved, new URL('./', location.href)).href);
  return Boolean(moved);
}
// An old link followed from this page (or typed) changes only the hash.
window.addEventListener('hashchange', follow_legacy_link);
if (!follow_legacy_link()) start();

function start() {
  init_search();
  const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
  const params = new URLSearchParams(location.search);
  // ?workers=N: every run uses N checking workers (1: one session), for tests and benchmarks.
  const workers = /^\d+$/.test(params.get('workers') || '') ? Math.max(1, Number(params.get('workers'))) : null;
  const page = new ValidatorPage({
    worker,
    rule_href: (code) => `./checklist/#${encodeURIComponent(code)}`,
    workers,
  });
  const example = params.get('example');
  if (example) {
    // The address keeps no example: reloading or going Back shows the editor as the reader left it.
    params.delete('example');
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? `?${rest}` : '') + location.hash);
  }

  worker.addEventListener('message', (event) => {
    const msg = event.data;
    if (msg.type === 'ready') {
      const data = { ...msg };
      delete data.type;
      page.ready(data);
      if (example) page.load_example(example);
      document.documentElement.dataset.ready = 'true';
    } else if (msg.type === 'fatal') {
      page.failed(msg.message);
    } else {
      page.on_message(msg);
    }
  });
  worker.addEventListener('error', (event) => {
    page.failed(event.message || 'the validator worker could not start');
  });
}
