// The module-worker half of the package's browser test.
import { runCases } from './run_cases.mjs';

const violations = [];
self.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));

self.onmessage = async (event) => {
  try {
    const result = await runCases('/msgevents/src/index.js', event.data);
    self.postMessage({ ...result, violations });
  } catch (error) {
    self.postMessage({ error: String(error?.stack ?? error), violations });
  }
};
