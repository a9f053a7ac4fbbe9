// A worker thread of `msgevents validate --jobs N` (npm/bin/msgevents.js): checks the batches of
// events the main thread's report hands out, with the package's createBatchChecker, and sends the
// results back (each batch carries the run's options).
import { parentPort } from 'node:worker_threads';
import { createValidator } from '../src/index.js';

const validator = await createValidator();
const checker = await validator.createBatchChecker();
parentPort.on('message', ({ id, batch }) => {
  try {
    const results = checker.check(batch);
    parentPort.postMessage({ id, results }, [results.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
parentPort.postMessage({ ready: true });
