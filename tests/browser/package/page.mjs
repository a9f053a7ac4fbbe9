// The page half of tests/browser/package.test.mjs: runs the cases in the page and in a module
// worker and leaves everything on window.__msgevents for the test to read.
import { runCases } from './run_cases.mjs';

const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));

async function main() {
  const cases = await (await fetch('./cases.json')).json();
  const page = await runCases('/msgevents/src/index.js', cases);
  const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
  const inWorker = await new Promise((resolve, reject) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
    worker.postMessage(cases);
  });
  worker.terminate();
  return { page, worker: inWorker, violations };
}

main().then(
  (result) => { window.__msgevents = result; document.getElementById('out').textContent = 'done'; },
  (error) => { window.__msgevents = { error: String(error?.stack ?? error), violations }; },
);
