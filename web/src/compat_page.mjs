// "Compare your own catalog" on the compatibility page: runs the package's compat() (the checker
// `msgevents compat` runs) on a pasted, opened or dropped catalog, in the browser, and shows its
// report with the same renderer the build used for the releases (docs.mjs compat_report).
import { createValidator } from './msgevents.mjs';
import { compat_report } from './docs.mjs';
import { mount, clear } from './dom.mjs';

const $ = (id) => document.getElementById(id);
const input = $('compare-input');
const status = $('compare-status');
const result = $('compare-result');
const root = new URL('./', import.meta.url);
let validator = null;

async function catalog_for(which) {
  if (which === 'current') return validator.catalog;
  const r = await fetch(new URL(`releases/${encodeURIComponent(which)}.json`, root));
  if (!r.ok) throw new Error(`release ${which} could not be read (HTTP ${r.status})`);
  return r.text();
}

async function compare() {
  const text = input.value;
  clear(result);
  if (!text.trim()) {
    status.textContent = 'Paste a catalog (JSON) first, or open a file.';
    input.focus();
    return;
  }
  const which = $('compare-old').value;
  try {
    JSON.parse(text);
  } catch (error) {
    status.textContent = `Your catalog is not JSON: ${error.message}`;
    return;
  }
  status.textContent = 'Comparing…';
  try {
    const report = await validator.compat(await catalog_for(which), text);
    const old_name = which === 'current' ? `current (${validator.catalog.catalog_version})` : which;
    const links = { event: (name) => new URL(`event/${encodeURIComponent(name)}/`, root).href };
    result.append(mount(compat_report(links, report, { id: 'compare-report', heading_text: `${old_name} → your catalog (${report.new_catalog_version ?? '?'})` })));
    status.textContent = report.ok ? 'Your catalog follows the change policy.' : `Your catalog breaks the change policy: ${(report.problems || []).length} problems.`;
    document.body.dataset.compared = String(Number(document.body.dataset.compared || 0) + 1);
  } catch (error) {
    status.textContent = `The catalogs could not be compared: ${error.message}`;
    document.body.dataset.compared = String(Number(document.body.dataset.compared || 0) + 1);
  }
}

async function read_file(file) {
  input.value = await file.text();
  status.textContent = `Opened ${file.name}.`;
  compare();
}

$('compare-run').addEventListener('click', compare);
$('compare-open').addEventListener('click', () => $('compare-file').click());
$('compare-file').addEventListener('change', (e) => {
  const file = e.target.files && e.target.files[0];
  if (file) read_file(file);
  e.target.value = '';
});
input.addEventListener('dragover', (e) => {
  if (e.dataTransfer && [...e.dataTransfer.types].includes('Files')) e.preventDefault();
});
input.addEventListener('drop', (e) => {
  const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
  if (!file) return;
  e.preventDefault();
  read_file(file);
});

$('compare-run').disabled = true;
status.textContent = 'Loading the checker…';
// The checker is in the package's tools module, which the first call of a tool loads: load it
// now (compatPolicy() is the cheapest call), so that comparing needs nothing more from the network.
createValidator().then(async (v) => { await v.compatPolicy(); return v; }).then(
  (v) => {
    validator = v;
    $('compare-run').disabled = false;
    status.textContent = '';
    document.body.dataset.compareReady = 'true';
  },
  (error) => {
    status.textContent = `The checker could not start: ${error.message}`;
  },
);
