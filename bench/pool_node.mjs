// The page's pool protocol (web/src/batch_pool.mjs) in Node, to measure what the coordinator
// costs and what a pool of checkers gains against one session. Three sides, in interleaved rounds:
//   one      one session (createSession), the corpus pushed in 64 KiB pieces, as worker.mjs does
//            for one worker
//   split    a batch session and a checker on this one thread, one after the other: the time of
//            each call kind (push = framing, take, check, merge, close, finish), so the
//            coordinator's share (all but check) is measured apart from any parallelism
//   pool N   a batch session here and N checkers in worker_threads (npm/bin/check-worker.js, the
//            npm CLI's), at most 2 batches in flight per checker, merged in order (PooledRun's loop)
//   pool N+  the same, and this thread checks a batch itself whenever every worker has 2 (what
//            PooledRun does when it is given a checker): `--pool 1+` is 2 threads checking
// Every side's findings are compared with one session's (count and a hash of the JSON). The split
// side counts CPU time (process.cpuUsage: it runs on this thread alone), so that a busy machine
// that takes the core away now and then does not count; `one` is given both.
//
//   node bench/pool_node.mjs --corpus FILE [--rounds N] [--pool 1,2] [--sides one,split,pool]
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const args = { corpus: null, rounds: 5, pool: ['2', '1+'], sides: ['one', 'split', 'pool'], pkg: '../npm' };
for (let i = 2; i < process.argv.length; ++i) {
  const a = process.argv[i];
  if (a === '--corpus') args.corpus = process.argv[++i];
  else if (a === '--rounds') args.rounds = Number(process.argv[++i]);
  else if (a === '--pool') args.pool = process.argv[++i].split(',');
  else if (a === '--sides') args.sides = process.argv[++i].split(',');
  else if (a === '--package') args.pkg = process.argv[++i];
  else throw new Error(`unknown argument ${a}`);
}
if (!args.corpus) throw new Error('usage: node bench/pool_node.mjs --corpus FILE [--rounds N] [--pool 1,2] [--sides one,split,pool]');

const pkgDir = new URL(`${args.pkg.replace(/\/$/, '')}/`, import.meta.url);
const { createValidator } = await import(new URL('src/index.js', pkgDir));
const checkWorker = fileURLToPath(new URL('bin/check-worker.js', pkgDir));
const corpus = new Uint8Array(readFileSync(args.corpus));
const PIECE = 64 * 1024;
const OPTIONS = { now: '2027-01-01T00:00:00Z', maxFindings: Number.MAX_SAFE_INTEGER };
const v = await createValidator();

function digest(findings, summary) {
  const h = createHash('sha256');
  for (const f of findings) h.update(JSON.stringify(f));
  h.update(JSON.stringify(summary));
  return `${findings.length}:${h.digest('hex').slice(0, 12)}`;
}

function runOne() {
  const t0 = performance.now();
  const c0 = cpuNow();
  const s = v.createSession(OPTIONS);
  const findings = [];
  for (let at = 0; at < corpus.length; at += PIECE) for (const f of s.push(corpus.subarray(at, at + PIECE))) findings.push(f);
  const r = s.finish();
  for (const f of r.findings) findings.push(f);
  return { ms: performance.now() - t0, cpu: cpuNow() - c0, digest: digest(findings, r.summary) };
}

async function runSplit() {
  const s = await v.createBatchSession(OPTIONS);
  const checker = await v.createBatchChecker();
  const t = { push: 0, take: 0, check: 0, merge: 0, close: 0, finish: 0 };
  const findings = [];
  let bytesOut = 0, bytesBack = 0, batches = 0;
  const timed = (kind, fn) => {
    const t0 = cpuNow();
    const out = fn();
    t[kind] += cpuNow() - t0;
    return out;
  };
  const drain = () => {
    for (;;) {
      const batch = timed('take', () => s.takeBatch());
      if (!batch) return;
      const results = timed('check', () => checker.check(batch));
      bytesOut += batch.length;
      bytesBack += results.length;
      ++batches;
      for (const f of timed('merge', () => s.mergeBatch(results))) findings.push(f);
    }
  };
  const t0 = cpuNow();
  for (let at = 0; at < corpus.length; at += PIECE) {
    for (const f of timed('push', () => s.push(corpus.subarray(at, at + PIECE)))) findings.push(f);
    drain();
  }
  for (const f of timed('close', () => s.closeInput())) findings.push(f);
  drain();
  const r = timed('finish', () => s.finish());
  for (const f of r.findings) findings.push(f);
  const ms = cpuNow() - t0;
  checker.close();
  return { ms, t, digest: digest(findings, r.summary), bytesOut, bytesBack, batches };
}

async function startPool(size) {
  const workers = [];
  for (let i = 0; i < size; ++i) {
    const worker = new Worker(checkWorker);
    await new Promise((resolve) => worker.once('message', resolve));
    const slot = { worker, waiting: new Map() };
    worker.on('message', (m) => {
      const w = slot.waiting.get(m.id);
      slot.waiting.delete(m.id);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve(m.results);
    });
    workers.push(slot);
  }
  let seq = 0;
  return {
    capacity: size * 2,
    get saturated() {
      return workers.every((w) => w.waiting.size >= 2);
    },
    check(batch) {
      let slot = workers[0];
      for (const s of workers) if (s.waiting.size < slot.waiting.size) slot = s;
      const id = ++seq;
      return new Promise((resolve, reject) => {
        slot.waiting.set(id, { resolve, reject });
        slot.worker.postMessage({ id, batch }, [batch.buffer]);
      });
    },
    terminate: () => Promise.all(workers.map((w) => w.worker.terminate())),
  };
}

// PooledRun's loop (web/src/batch_pool.mjs), with the time this thread spends in the session.
async function runPool(pool, here) {
  const s = await v.createBatchSession(OPTIONS);
  const checker = here ? await v.createBatchChecker() : null;
  const capacity = pool.capacity + (here ? 2 : 0);
  let checkedHere = 0;
  const findings = [];
  const fifo = [];
  let busy = 0;
  const timed = (fn) => {
    const t0 = performance.now();
    const out = fn();
    busy += performance.now() - t0;
    return out;
  };
  const mergeHead = () => {
    const e = fifo.shift();
    if (e.error) throw e.error;
    for (const f of timed(() => s.mergeBatch(e.results))) findings.push(f);
  };
  const drain = async () => {
    for (;;) {
      while (fifo.length && fifo[0].done) mergeHead();
      if (fifo.length >= capacity) {
        await fifo[0].promise;
        mergeHead();
        continue;
      }
      const batch = timed(() => s.takeBatch());
      if (!batch) break;
      const e = { done: false };
      if (checker && pool.saturated) {
        e.done = true;
        e.results = checker.check(batch);
        e.promise = Promise.resolve();
        ++checkedHere;
      } else {
        e.promise = pool.check(batch).then((r) => { e.done = true; e.results = r; }, (err) => { e.done = true; e.error = err; });
      }
      fifo.push(e);
    }
    while (fifo.length && fifo[0].done) mergeHead();
  };
  const t0 = performance.now();
  for (let at = 0; at < corpus.length; at += PIECE) {
    for (const f of timed(() => s.push(corpus.subarray(at, at + PIECE)))) findings.push(f);
    await drain();
  }
  for (const f of timed(() => s.closeInput())) findings.push(f);
  await drain();
  while (fifo.length) {
    await fifo[0].promise;
    mergeHead();
  }
  const r = timed(() => s.finish());
  for (const f of r.findings) findings.push(f);
  checker?.close();
  return { ms: performance.now() - t0, busy, checkedHere, digest: digest(findings, r.summary) };
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = corpus.length / 1e6;
console.log(`corpus ${args.corpus}: ${mb.toFixed(1)} MB; load ${loadavg()[0].toFixed(2)}; ${args.rounds} interleaved rounds`);
const pools = new Map();
if (args.sides.includes('pool')) for (const n of args.pool) pools.set(n, await startPool(parseInt(n, 10)));
const results = new Map();
const add = (name, r) => {
  if (!results.has(name)) results.set(name, []);
  results.get(name).push(r);
};
let reference = null;
for (let round = 0; round < args.rounds; ++round) {
  const one = runOne();
  reference ??= one.digest;
  if (args.sides.includes('one')) add('one', one);
  if (args.sides.includes('split')) add('split', await runSplit());
  for (const [n, pool] of pools) add(`pool ${n}`, await runPool(pool, n.endsWith('+')));
}
const base = median(results.get('one')?.map((r) => r.ms) ?? [NaN]);
for (const [name, rs] of results) {
  const ms = median(rs.map((r) => r.ms));
  const same = rs.every((r) => r.digest === reference) ? 'same findings' : `FINDINGS DIFFER (${rs.map((r) => r.digest).join(' ')} vs ${reference})`;
  let extra = '';
  if (name === 'split') {
    const keys = Object.keys(rs[0].t);
    extra = keys.map((k) => `${k} ${median(rs.map((r) => r.t[k])).toFixed(0)}`).join(', ');
    const coord = median(rs.map((r) => r.ms - r.t.check));
    const baseCpu = median(results.get('one')?.map((r) => r.cpu) ?? [NaN]);
    extra += ` ms of CPU; coordinator (all but check) ${coord.toFixed(0)} ms = ${(coord / baseCpu).toFixed(2)} of one session's CPU time (${baseCpu.toFixed(0)} ms); ` +
      `${rs[0].batches} batches, ${(rs[0].bytesOut / 1e6).toFixed(1)} MB out, ${(rs[0].bytesBack / 1e6).toFixed(1)} MB back`;
  } else if (name.startsWith('pool')) {
    extra = `coordinator busy ${median(rs.map((r) => r.busy)).toFixed(0)} ms (framing, merging; it also checked ${rs[0].checkedHere} batches, not counted)`;
  }
  console.log(`${name.padEnd(7)} ${ms.toFixed(0).padStart(6)} ms ${(mb / ms * 1000).toFixed(1).padStart(6)} MB/s  x${(base / ms).toFixed(2)} one  ${same}  ${extra}`);
}
for (const pool of pools.values()) await pool.terminate();
