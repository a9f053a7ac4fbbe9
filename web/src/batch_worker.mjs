// A checking sub-worker of the validator's worker (worker.mjs): for a large input, worker.mjs runs
// a few of these, hands each one batches of framed events (its session's takeBatch()), and merges
// their results in input order (mergeBatch()), where the stream checks run. This one only runs
// the per-event checks: it loads the same package build as worker.mjs and makes a batch checker
// (each batch carries its session's options: profile, strict, clock and limits).
//
// Messages in:  {type:'init'} once, first (starts loading the package before the first batch);
//               {type:'batch', seq, batch}: batch a Uint8Array (its buffer transferred)
// Messages out: {type:'ready'} once the checker is made (until then the coordinating worker checks
//               batches itself, when it can: see PooledRun)
//               {type:'results', seq, results}: results a Uint8Array (its buffer transferred)
//               {type:'error', seq, message}: the batch could not be checked (or the package not
//               loaded): the coordinating worker ends the run with this error
import { createValidator } from './msgevents.mjs';

let checker = null; // a Promise of the checker, from the init message

// A Uint8Array whose buffer can be transferred: a view into the module's memory is copied.
function own(bytes) {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}

const message_of = (error) => String(error && error.message ? error.message : error);

self.onmessage = async (event) => {
  const msg = event.data || {};
  if (msg.type === 'init') {
    checker = createValidator().then((v) => v.createBatchChecker());
    // A failure to load is reported with the first batch, which cannot be checked.
    checker.then(() => self.postMessage({ type: 'ready' }), () => {});
  } else if (msg.type === 'batch') {
    try {
      if (!checker) throw new Error('batch_worker: a batch came before init');
      const results = own((await checker).check(msg.batch));
      self.postMessage({ type: 'results', seq: msg.seq, results }, [results.buffer]);
    } catch (error) {
      self.postMessage({ type: 'error', seq: msg.seq, message: message_of(error) });
    }
  }
};
