// Parallel validation for the validator's worker (worker.mjs), and for the browser benchmark: a
// pool of checking sub-workers (batch_worker.mjs) and the loop that feeds one session through it.
//
// The session (the package's createBatchSession()) frames the input into batches of events; each
// batch goes to a sub-worker, which runs every per-event check of its events; the
// results come back to the session (mergeBatch) in the order the batches were taken, and the
// session runs the stream checks (duplicates, id conflicts, versions, lifecycles) there, in input
// order. So the findings are those of one session alone, byte for byte, for any number of
// sub-workers.
//
//   const pool = new BatchPool({ size: 2 });                     // batches carry the session's options
//   const run = new PooledRun(session, pool, checker);           // checker: optional, see below
//   for (const chunk of chunks) for (const f of await run.push(chunk)) ...;
//   for (const f of await run.end()) ...;                        // then session.finish()
//   pool.terminate();
//
// With a checker of its own (createBatchChecker() of the session's validator), the run checks a
// batch itself whenever every sub-worker already has PER_WORKER batches, or none has loaded its
// module yet: the coordinating worker then frames, merges and checks, so on 2 cores one
// sub-worker and the coordinator keep both busy, where two sub-workers and an idle coordinator
// made three threads for two cores, and the run does not wait for the sub-workers to start.
// Before it decides that a pool is saturated, the run lets this worker's event loop read the
// answers that came meanwhile (nextTask): a loop of awaits on settled promises runs microtasks
// only, so it saw an answer only when it waited for one, and took for itself every other batch
// while the sub-worker idled (measured in Chromium, 1 sub-worker: the coordinator checked 192
// batches of 386 besides framing and merging, the sub-worker was busy half the run, and each
// answer waited 1.7 to 2.0 ms to be read).
//
// A sub-worker that fails (an error, a batch it cannot check, a module that does not load) fails
// the pool: every batch waiting on it is rejected, and so is every later one, so a run ends with
// that error rather than with findings that miss a batch. terminate() (cancel) rejects the
// waiting batches too, at once.

// Batches in flight per sub-worker: one being checked while the next one waits in its queue.
const PER_WORKER = 2;
// Batches taken and not merged yet, at least: results are merged in input order, so one slow
// batch holds back the others' (a sub-worker that finished waits for a batch to check).
const LEAST_IN_LINE = 8;

// A Promise that settles in a task of its own, after the messages already queued for this worker
// (the sub-workers' answers). One channel for all, made on first use; in Node it must not keep
// the process alive. Exported for the tests' pools, which answer through it as a worker would.
let tick = null;
const ticks = [];
export function nextTask() {
  if (!tick) {
    tick = new MessageChannel();
    tick.port1.onmessage = () => ticks.shift()();
    tick.port1.unref?.();
  }
  return new Promise((resolve) => {
    ticks.push(resolve);
    tick.port2.postMessage(null);
  });
}

export class PoolError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PoolError';
  }
}

// A Uint8Array whose buffer can be transferred: a view into the module's memory is copied.
export function own(bytes) {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}

export class BatchPool {
  // size: the number of sub-workers; url: the sub-worker's module (batch_worker.mjs beside this file).
  constructor({ size, url = new URL('./batch_worker.mjs', import.meta.url) }) {
    this.size = size;
    this.capacity = size * PER_WORKER;
    this.failure = null; // the PoolError that ended the pool, once it has
    this.seq = 0;
    this.listeners = []; // answered()'s
    this.workers = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url, { type: 'module', name: `msgevents-check-${i + 1}` });
      const slot = { worker, waiting: new Map(), ready: false }; // waiting: seq -> {resolve, reject}, in the order sent
      worker.onmessage = (event) => this.#answer(slot, event.data || {});
      worker.onerror = (event) => {
        // Handled here: the run ends with this error (not the page's "worker failed").
        event.preventDefault();
        this.#fail(`a checking worker failed: ${event.message || 'it could not load'}`);
      };
      worker.onmessageerror = () => this.#fail('a checking worker sent a message that could not be read');
      worker.postMessage({ type: 'init' });
      this.workers.push(slot);
    }
  }

  // True when no sub-worker has loaded its checker yet, or every one that has has PER_WORKER
  // batches waiting: one more would only queue.
  get saturated() {
    const ready = this.workers.filter((slot) => slot.ready);
    return ready.length === 0 || ready.every((slot) => slot.waiting.size >= PER_WORKER);
  }

  // A Promise that settles at the next message from a sub-worker (or the pool's end).
  answered() {
    if (this.failure) return Promise.resolve();
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  #tell() {
    for (const resolve of this.listeners.splice(0)) resolve();
  }

  // A Promise of the results of `batch` (a Uint8Array; its buffer is transferred, or copied when it
  // is the module's memory), checked by the least busy sub-worker. The caller keeps within capacity.
  check(batch) {
    if (this.failure) return Promise.reject(this.failure);
    // The least busy of those that are ready (of all, while none is).
    const ready = this.workers.filter((s) => s.ready);
    const candidates = ready.length ? ready : this.workers;
    let slot = candidates[0];
    for (const s of candidates) if (s.waiting.size < slot.waiting.size) slot = s;
    const seq = ++this.seq;
    const bytes = own(batch);
    return new Promise((resolve, reject) => {
      slot.waiting.set(seq, { resolve, reject });
      slot.worker.postMessage({ type: 'batch', seq, batch: bytes }, [bytes.buffer]);
    });
  }

  #answer(slot, msg) {
    this.#tell();
    if (msg.type === 'ready') {
      slot.ready = true;
      return;
    }
    const waiter = slot.waiting.get(msg.seq);
    if (!waiter) return;
    slot.waiting.delete(msg.seq);
    if (msg.type === 'results' && msg.results instanceof Uint8Array) waiter.resolve(msg.results);
    else {
      const failure = this.#fail(`a checking worker could not check a batch: ${msg.message || 'no results'}`);
      waiter.reject(failure);
    }
  }

  // Ends the pool with `message`: the sub-workers stop, every waiting batch is rejected.
  #fail(message) {
    if (!this.failure) this.failure = new PoolError(message);
    this.#tell();
    for (const slot of this.workers) {
      slot.worker.terminate();
      for (const waiter of slot.waiting.values()) waiter.reject(this.failure);
      slot.waiting.clear();
    }
    return this.failure;
  }

  // Stops every sub-worker now (cancel, or the end of a run); waiting batches are rejected.
  terminate() {
    this.#fail('the checking workers were stopped');
  }
}

// One session's input through a pool. push() and end() return the findings the merged batches
// completed, in input order; at most pool.capacity batches are on the sub-workers at a time, and
// at most `capacity` taken and not merged (so memory stays bounded: the session frames no further
// than that ahead of the merge).
export class PooledRun {
  constructor(session, pool, checker = null) {
    this.session = session;
    this.pool = pool;
    this.checker = checker;
    this.capacity = Math.max(LEAST_IN_LINE, 2 * pool.capacity) + (checker ? PER_WORKER : 0);
    this.fifo = []; // {done, results, error} of the batches taken and not yet merged, oldest first
    this.checked_here = 0; // batches the checker checked (for the benchmark)
  }

  // Feeds `bytes` to the session and checks the batches it framed.
  async push(bytes) {
    const findings = this.session.push(bytes);
    await this.#drain(findings);
    return findings;
  }

  // Ends the input, checks the last batches and merges every one: the session is then ready for
  // finish().
  async end() {
    const findings = this.session.closeInput();
    await this.#drain(findings);
    while (this.fifo.length) await this.#merge_oldest(findings);
    return findings;
  }

  // Sends every batch the session has ready, waiting for the oldest one out whenever the pool is
  // full, and merges the finished ones at the head of the line.
  async #drain(findings) {
    for (;;) {
      this.#merge_done(findings);
      // Taken and not merged, whether checked yet or not: a slow batch holds back the line.
      if (this.fifo.length >= this.capacity) {
        await this.#merge_oldest(findings);
        continue;
      }
      const batch = this.session.takeBatch();
      if (!batch) break;
      const entry = { done: false, results: null, error: null, promise: null };
      this.fifo.push(entry); // in line now, whatever checks it
      await this.#place(batch, entry);
    }
    this.#merge_done(findings);
  }

  // Sends `batch` to a sub-worker, or, when every one has PER_WORKER batches once the answers that
  // came meanwhile are read, checks it here (with a checker) or waits for one to be free.
  async #place(batch, entry) {
    const busy = () => this.pool.saturated && !this.pool.failure;
    if (busy()) await nextTask();
    while (busy()) {
      if (this.checker) {
        // Checked here, now: its results wait in line like a sub-worker's.
        entry.done = true;
        entry.results = this.checker.check(batch);
        entry.promise = Promise.resolve();
        this.checked_here++;
        return;
      }
      await this.pool.answered();
    }
    entry.promise = this.pool.check(batch).then(
      (results) => { entry.done = true; entry.results = results; },
      (error) => { entry.done = true; entry.error = error; },
    );
  }

  #merge_done(findings) {
    while (this.fifo.length && this.fifo[0].done) this.#merge_head(findings);
  }

  async #merge_oldest(findings) {
    await this.fifo[0].promise;
    this.#merge_head(findings);
  }

  #merge_head(findings) {
    const entry = this.fifo.shift();
    if (entry.error) throw entry.error;
    for (const f of this.session.mergeBatch(entry.results)) findings.push(f);
  }
}
