// Validation split across workers (createBatchSession() and createBatchChecker()), as the site's
// page runs it in Web Workers: here the checker runs in the package's checking thread
// (bin/check-worker.js, a real Node worker thread with its own instance of the module), the
// batches and their results cross as bytes, and the report is the one validate() gives for the
// whole input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { importPackage, packageDir } from './helpers/package.mjs';
import { customerCorpus } from './helpers/events.mjs';

let pkg;
let v;
let worker;

before(async () => {
  pkg = await importPackage();
  v = await pkg.createValidator();
  // The package's own checking thread, the one `msgevents validate --jobs N` runs.
  const script = join(packageDir(), 'bin', 'check-worker.js');
  worker = new Worker(script);
  await new Promise((resolve) => worker.once('message', resolve));
});

after(() => worker?.terminate());

const NOW = '2027-01-01T00:00:00Z';

// Thousands of events (many batches): redeliveries of the first event far from it, a copy with
// different content under its idempotency_key, a line that is not JSON, events with bad ids.
function stream() {
  const { text } = customerCorpus(v, 1024 * 1024);
  const lines = text.trimEnd().split('\n');
  const first = lines[0];
  const conflicting = first.replace('"name":"', '"name":"Other ');
  for (let i = 97; i < lines.length; i += 211) lines[i] = lines[i].replace(/"event_id":"[^"]+"/, '"event_id":"evt-not-a-uuid"');
  lines.splice(Math.floor(lines.length / 2), 0, '{"event_name": "CustomerCreated", broken');
  lines.push(first, conflicting);
  lines.splice(lines.length - 300, 0, first);
  return `${lines.join('\n')}\n`;
}

let sequence = 0;
function check(batch) {
  const id = ++sequence;
  return new Promise((resolve, reject) => {
    const on = (message) => {
      if (message.id !== id) return;
      worker.off('message', on);
      if (message.error) reject(new Error(message.error));
      else resolve(message.results);
    };
    worker.on('message', on);
    worker.postMessage({ id, batch }, [batch.buffer]);
  });
}

test('batches checked in a worker thread give the report of validate()', async () => {
  const text = stream();
  const expected = v.validate(text, { now: NOW });
  assert.ok(expected.findings.some((f) => f.code === 'stream.duplicate'));
  assert.ok(expected.findings.some((f) => f.code === 'stream.id_conflict'));
  assert.ok(expected.findings.some((f) => f.code === 'json.syntax'));

  const session = await v.createBatchSession({ now: NOW });
  const findings = [];
  const inFlight = []; // promises of results, in the order the batches were taken
  let batches = 0;
  const exchange = async (keep) => {
    for (let batch; (batch = session.takeBatch()) !== null; ++batches) inFlight.push(check(batch));
    while (inFlight.length > keep) findings.push(...session.mergeBatch(await inFlight.shift()));
  };
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += 64 * 1024) {
    findings.push(...session.push(bytes.subarray(at, at + 64 * 1024)));
    await exchange(2);
  }
  findings.push(...session.closeInput());
  await exchange(0);
  const report = session.finish();
  findings.push(...report.findings);
  assert.ok(batches > 5, `${batches} batches`);
  assert.deepEqual(findings, expected.findings);
  assert.deepEqual(report.summary, expected.summary);
  assert.deepEqual(report.aggregates, expected.aggregates);
});

test('finish() checks the batches never taken or never merged', async () => {
  const text = stream();
  const session = await v.createBatchSession({ now: NOW });
  const findings = session.push(text);
  assert.deepEqual(findings, [], 'push() checks nothing itself');
  assert.ok(session.takeBatch() instanceof Uint8Array);
  const report = session.finish();
  assert.deepEqual(report.findings, v.validate(text, { now: NOW }).findings);
});

test('bytes that are not a batch or its results are refused with a reason', async () => {
  const session = await v.createBatchSession({ now: NOW });
  session.push(customerCorpus(v, 300 * 1024).text);
  const first = session.takeBatch();
  const second = session.takeBatch();
  const checker = await v.createBatchChecker();
  assert.throws(() => checker.check(new Uint8Array([1, 2, 3])), (e) => e instanceof pkg.MsgeventsError && /not a batch/.test(e.message));
  assert.throws(() => checker.check('text'), TypeError);
  const secondResults = checker.check(second);
  assert.throws(() => session.mergeBatch(secondResults), (e) => e instanceof pkg.MsgeventsError && /not the results of the oldest batch/.test(e.message));
  assert.throws(() => session.mergeBatch([1, 2]), TypeError);
  assert.ok(Array.isArray(session.mergeBatch(checker.check(first))));
  assert.ok(Array.isArray(session.mergeBatch(secondResults)));
  checker.close();
  await assert.rejects(v.createBatchSession({ jobs: 2 }), (e) => e instanceof TypeError && /createBatchSession: unknown option "jobs"/.test(e.message));
  await assert.rejects(v.createBatchChecker({ now: NOW }), (e) => e instanceof TypeError && /takes no options/.test(e.message));
  session.close();
  // A session of the validator module checks its own events: it has no batches to hand out.
  assert.equal(typeof v.createSession().takeBatch, 'undefined');
});

// A pool of one sub-worker, as BatchPool is to PooledRun: it holds 2 batches at most (saturated
// then) and answers each `tasks` tasks later, as a Web Worker's message comes in a task of its
// own (through batch_pool.mjs's nextTask, whose tasks run in the order they were asked for).
async function slow_pool(tasks) {
  const { nextTask } = await import(new URL('../../web/src/batch_pool.mjs', import.meta.url));
  const pool = { capacity: 2, failure: null, sent: 0, pending: 0, most_pending: 0, listeners: [] };
  Object.defineProperty(pool, 'saturated', { get: () => pool.pending >= pool.capacity });
  pool.answered = () => new Promise((resolve) => pool.listeners.push(resolve));
  pool.check = (batch) => {
    ++pool.sent;
    pool.most_pending = Math.max(pool.most_pending, ++pool.pending);
    return (async () => {
      for (let i = 0; i < tasks; ++i) await nextTask();
      --pool.pending;
      for (const listener of pool.listeners.splice(0)) listener();
      return check(batch);
    })();
  };
  return pool;
}

async function pooled_run(pool, checker, text) {
  const { PooledRun } = await import(new URL('../../web/src/batch_pool.mjs', import.meta.url));
  const session = await v.createBatchSession({ now: NOW });
  const run = new PooledRun(session, pool, checker);
  const findings = [];
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += 64 * 1024) findings.push(...(await run.push(bytes.subarray(at, at + 64 * 1024))));
  findings.push(...(await run.end()));
  const report = session.finish();
  findings.push(...report.findings);
  return { run, report, findings };
}

// The page's PooledRun (web/src/batch_pool.mjs) with a checker of its own: whenever the pool is
// saturated it checks the batch itself, so results come from both sides out of order in time
// (the pool's come later), and are still merged in input order.
test('the page\'s PooledRun, checking some batches itself, merges them in order with the pool\'s', async () => {
  const text = stream();
  const expected = v.validate(text, { now: NOW });
  const pool = await slow_pool(2);
  const checker = await v.createBatchChecker();
  const { run, report, findings } = await pooled_run(pool, checker, text);
  checker.close();
  assert.ok(pool.sent > 2 && run.checked_here > 2, `${pool.sent} batches sent, ${run.checked_here} checked here`);
  assert.ok(pool.most_pending <= pool.capacity, `${pool.most_pending} batches on the pool at once`);
  assert.deepEqual(findings, expected.findings);
  assert.deepEqual(report.summary, expected.summary);
  assert.deepEqual(report.aggregates, expected.aggregates);
});

// Without a checker, a saturated pool is waited for: no sub-worker is given more than its share.
// And answers that came while the run was busy are read before it decides the pool is full: with
// a pool that answers in the next task, every batch goes to it and none is checked here.
test('the page\'s PooledRun reads the answers that came before it calls the pool saturated', async () => {
  const text = stream();
  const expected = v.validate(text, { now: NOW });
  const waiting = await slow_pool(2);
  const alone = await pooled_run(waiting, null, text);
  assert.ok(waiting.sent > 2 && waiting.most_pending <= waiting.capacity, `${waiting.sent} sent, ${waiting.most_pending} at once`);
  assert.deepEqual(alone.findings, expected.findings);
  const quick = await slow_pool(1);
  const checker = await v.createBatchChecker();
  const both = await pooled_run(quick, checker, text);
  checker.close();
  assert.equal(both.run.checked_here, 0, `${both.run.checked_here} of ${quick.sent + both.run.checked_here} checked here`);
  assert.deepEqual(both.findings, expected.findings);
  assert.deepEqual(both.report.summary, expected.summary);
});

// An NDJSON input goes to the checkers in ranges of whole lines (about 128 KiB each, cut after
// its first line), which they frame themselves: what falls at or near a cut, CRLF line ends, blank
// lines, byte order marks, lines over maxEventBytes (one longer than a range) and a findings
// limit that falls inside a range give the report of validate(), pushed in any pieces.
test('NDJSON handed out in ranges of lines: cuts, CRLF, blank lines, marks, lines too large and limits change nothing', async () => {
  const lines = stream().trimEnd().split('\n');
  const out = [lines[0]];
  const RANGE = 128 * 1024;
  let size = lines[0].length + 1;
  for (let i = 1; i < lines.length; ++i) {
    let line = lines[i];
    if (i % 5 === 0) line += '\r';
    if (i % 301 === 7) line = `\uFEFF${line}`;
    if (i % 401 === 9) out.push('', '  \t', '\uFEFF ');
    if (i % 613 === 11) out.push(`  {"event_name":"${'x'.repeat(3000)}"}`);
    if (i === 1500) out.push('y'.repeat(RANGE + 5000));
    // A line break exactly at, before and after the end of the first and later ranges.
    const delta = size % RANGE;
    if (i % 97 === 0 && delta > RANGE - 600 && delta < RANGE - 2) out.push(' '.repeat(RANGE - delta - 1 + (i % 3) - 1));
    out.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  const text = `\uFEFF${out.join('\n')}\n${'z'.repeat(2500)}`; // ends in a line too large
  const all = v.validate(text, { now: NOW, maxEventBytes: 2048 }).findings.length;
  for (const options of [{ now: NOW, maxEventBytes: 2048 }, { now: NOW, maxEventBytes: 2048, maxFindings: Math.floor(all / 2) }, { now: NOW }]) {
    const expected = v.validate(text, options);
    if (!options.maxFindings) assert.ok(expected.findings.length > 20, `${expected.findings.length} findings`);
    if (options.maxEventBytes) assert.ok(expected.findings.some((f) => f.code === 'input.event_too_large'));
    if (options.maxFindings) assert.ok(expected.findings.some((f) => f.code === 'input.findings_limit'));
    const bytes = new TextEncoder().encode(text);
    for (const piece of [64 * 1024, 999]) {
      const session = await v.createBatchSession(options);
      const findings = [];
      const inFlight = [];
      const exchange = async (keep) => {
        for (let batch; (batch = session.takeBatch()) !== null;) inFlight.push(check(batch));
        while (inFlight.length > keep) findings.push(...session.mergeBatch(await inFlight.shift()));
      };
      for (let at = 0; at < bytes.length; at += piece) {
        findings.push(...session.push(bytes.subarray(at, at + piece)));
        await exchange(3);
      }
      findings.push(...session.closeInput());
      await exchange(0);
      const report = session.finish();
      findings.push(...report.findings);
      assert.deepEqual(findings, expected.findings, `${JSON.stringify(options)} in pieces of ${piece}`);
      assert.deepEqual(report.summary, expected.summary);
      assert.deepEqual(report.aggregates, expected.aggregates);
    }
  }
});
