// The benchmark's browser side: the npm package in a module Web Worker validates the corpus
// (fetched once into an ArrayBuffer) in one call per round, exactly as in Node; the median counts.
import { createValidator } from '/npm/src/index.js';

self.onmessage = async ({ data: { rounds, now } }) => {
  try {
    const v = await createValidator();
    const bytes = new Uint8Array(await (await fetch('/corpus.ndjson')).arrayBuffer());
    v.validate(bytes.subarray(0, 1 << 20), { now: new Date(now) });
    const times = [];
    let report;
    for (let i = 0; i < rounds; ++i) {
      const start = performance.now();
      report = v.validate(bytes, { now: new Date(now) });
      times.push((performance.now() - start) / 1000);
    }
    times.sort((a, b) => a - b);
    const mid = times.length >> 1;
    const seconds = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;  // the median, as in Node
    const flagged = new Set();
    for (const f of report.findings) {
      if ((f.severity === 'error' || f.severity === 'critical') && f.event_index >= 0) flagged.add(f.event_index);
    }
    self.postMessage({ seconds, flagged: flagged.size, events: report.summary.events, userAgent: navigator.userAgent });
  } catch (error) {
    self.postMessage({ error: String(error && error.stack || error) });
  }
};
