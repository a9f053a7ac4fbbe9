// The benchmark's browser side: the npm package in a module Web Worker validates the corpus
// (fetched once into an ArrayBuffer), in interleaved rounds (each round runs every side once, so a
// change in the machine's load hits them alike); the median of each side counts, as in Node.
//   - one call: `v.validate(bytes)`, exactly as in Node;
//   - a pool of `pool` checking workers, as the validator page runs a large input: a batch session
//     (createBatchSession) fed 64 KiB pushes, its batches checked by the site's own sub-workers
//     (web/src/batch_pool.mjs, batch_worker.mjs) and merged in order here. The pool is started
//     (each worker loads the module) once, before the rounds: its start-up is timed apart.
//     `pools` lists the pools to run, each a number of sub-workers, with `+` when this worker
//     checks batches too (PooledRun with a checker, as the page runs it): ['1+'] is two threads
//     checking. The first is the side 'pool'; each is also 'pool:<its name>';
//   - a session fed 64 KiB pushes ('session'): what the page runs with one worker.
import { createValidator } from '/npm/src/index.js';
import { BatchPool, PooledRun } from '/web/batch_pool.mjs';

const PIECE_BYTES = 64 * 1024; // what the page's worker pushes with a pool

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function flagged_by(findings) {
  const flagged = new Set();
  for (const f of findings) if ((f.severity === 'error' || f.severity === 'critical') && f.event_index >= 0) flagged.add(f.event_index);
  return flagged.size;
}

async function pooled(v, pool, bytes, now, checker = null) {
  const session = await v.createBatchSession({ now });
  try {
    const run = new PooledRun(session, pool, checker);
    const findings = [];
    for (let at = 0; at < bytes.length; at += PIECE_BYTES) for (const f of await run.push(bytes.subarray(at, at + PIECE_BYTES))) findings.push(f);
    for (const f of await run.end()) findings.push(f);
    const report = session.finish();
    return { findings: findings.concat(report.findings), events: report.summary.events };
  } finally {
    session.close();
  }
}

function in_session(v, bytes, now) {
  const session = v.createSession({ now });
  const findings = [];
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) for (const f of session.push(bytes.subarray(at, at + PIECE_BYTES))) findings.push(f);
  const report = session.finish();
  return { findings: findings.concat(report.findings), events: report.summary.events };
}

self.onmessage = async ({ data: { rounds, now, pool: pool_size, pools: pool_names } }) => {
  const pools = [];
  try {
    const v = await createValidator();
    const bytes = new Uint8Array(await (await fetch('/corpus.ndjson')).arrayBuffer());
    v.validate(bytes.subarray(0, 1 << 20), { now: new Date(now) });
    for (const name of pool_names && pool_names.length ? pool_names : [`${pool_size}+`]) { // the page's path: the coordinator checks too
      const t0 = performance.now();
      const pool = new BatchPool({ size: parseInt(name, 10) });
      const checker = name.endsWith('+') ? await v.createBatchChecker() : null;
      pools.push({ name, pool, checker });
      await pooled(v, pool, bytes.subarray(0, 1 << 20), now, checker); // loads the module in every sub-worker
      pools.at(-1).start = (performance.now() - t0) / 1000;
    }

    const times = { one_call: [], session: [] };
    for (const p of pools) times[p.name] = [];
    let one_call;
    const runs = {};
    for (let i = 0; i < rounds; ++i) {
      let start = performance.now();
      one_call = v.validate(bytes, { now: new Date(now) });
      times.one_call.push((performance.now() - start) / 1000);
      start = performance.now();
      runs.session = in_session(v, bytes, now);
      times.session.push((performance.now() - start) / 1000);
      for (const p of pools) {
        start = performance.now();
        runs[p.name] = await pooled(v, p.pool, bytes, now, p.checker);
        times[p.name].push((performance.now() - start) / 1000);
      }
    }
    // The same findings either way, or the pool's figure means nothing.
    const key = (f) => `${f.code} ${f.line}:${f.column} ${f.pointer} ${f.message}`;
    for (const [name, run] of Object.entries(runs)) {
      const differ = run.findings.findIndex((f, i) => key(f) !== key(one_call.findings[i] || {}));
      if (run.findings.length !== one_call.findings.length || differ >= 0 || run.events !== one_call.summary.events) {
        throw new Error(`${name} found ${run.findings.length} findings in ${run.events} events, one call ${one_call.findings.length} in ` +
          `${one_call.summary.events}; first difference at finding ${differ}`);
      }
    }
    const flagged = flagged_by(one_call.findings);
    self.postMessage({
      sides: [
        { side: 'one_call', seconds: median(times.one_call), flagged },
        { side: 'session', seconds: median(times.session), flagged },
        { side: 'pool', seconds: median(times[pools[0].name]), flagged, pool_start: pools[0].start, pool_name: pools[0].name },
        ...pools.map((p) => ({ side: `pool:${p.name}`, seconds: median(times[p.name]), flagged, pool_start: p.start })),
      ],
      events: one_call.summary.events,
      cores: navigator.hardwareConcurrency,
      userAgent: navigator.userAgent,
    });
  } catch (error) {
    self.postMessage({ error: String((error && error.stack) || error) });
  } finally {
    for (const p of pools) {
      p.pool.terminate();
      p.checker?.close();
    }
  }
};
