// What the static docs pages do with JavaScript (they are complete without it): search, copy
// buttons, and focus on the element an anchor names (a rule, a field), so that a keyboard user
// carries on from there.
import { init_search } from './search.mjs';

init_search();

const status = document.getElementById('docs-status');

document.addEventListener('click', async (e) => {
  const button = e.target.closest('button[data-copy]');
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const text = source.textContent;
  let ok = true;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    ok = false;
  }
  const label = button.getAttribute('aria-label').replace(/^Copy /, '');
  status.textContent = ok ? `Copied ${label}.` : `Could not copy ${label}: select the text and copy it instead.`;
  button.textContent = ok ? 'Copied' : 'Copy failed';
  button.dataset.copied = String(ok);
  setTimeout(() => {
    button.textContent = 'Copy';
  }, 2000);
});

function focus_target() {
  let id;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch {
    return;
  }
  const target = id && document.getElementById(id);
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
}
window.addEventListener('hashchange', focus_target);
focus_target();

document.documentElement.dataset.ready = 'true';
