#!/usr/bin/env node
// The npm CLI: the native `msgevents` CLI's contract on the WASM core, byte for byte.
//
//   msgevents validate [--profile internal|public] [--strict] [--now RFC3339]
//                      [--format text|json|sarif|junit|github] [--fail-on critical|error|warning|info]
//                      [--max-event-bytes N] [--max-findings N] [--jobs N] [--site-url URL] FILE... | -
//   msgevents catalog
//   msgevents checklist
//   msgevents redact [--key-file FILE] [--profile public|internal] FILE|-
//
// Exit status: 0 when no finding is at or above --fail-on (default error), 1 when one is (for
// redact: when an event was withheld), 2 for usage or I/O errors, an output that cannot be
// written, or any unexpected error. Each file is read in 1 MiB chunks, pushed in 16 KiB pieces
// into the core's report writer (through the package's createReport), and the text it returns is
// written as it comes: this file only reads files and writes chunks, so the bytes are the native
// CLI's. JUnit's parts go through temporary files (a suite's counts open it). A progress bar goes
// to stderr only when stderr is a terminal. With --jobs N (default: one per core from 3 cores on,
// else 1; see defaultJobs) the events are checked by N - 1 worker threads (check-worker.js) and
// this one, once an input has more than one batch of them: the main thread frames, merges the
// batches in order and runs the stream checks, so the output is the same for any N, and checks a
// batch itself whenever the workers have all they can take, as the native CLI's session thread does.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { createValidator } from '../src/index.js';
import { openRedaction, rawPush, reportBatches } from '../src/internal.js';

const CHUNK_BYTES = 1 << 20;
const SLICE_BYTES = 16 << 10; // findings are written after each slice, as the native CLI does
const BATCH_SLICE_BYTES = 128 << 10; // the size of a batch (a range of NDJSON lines, src/lib/event_batch.hpp)
const PROGRESS_MIN_BYTES = 8 << 20; // smaller files finish before a bar would help

const USAGE = `usage: msgevents <command> [options]

commands:
  validate [--profile internal|public] [--strict] [--now RFC3339] [--format text|json|sarif|junit|github]
           [--fail-on critical|error|warning|info] FILE... | -
                 check events (one JSON event, a JSON array of events, or NDJSON)
  catalog        print the event catalog as JSON
  checklist      print the validation checklist (Markdown)
  redact [--key-file FILE] [--profile public|internal] FILE|-
                 replace personal data with keyed tokens

exit status: 0 no finding of severity error or critical (validate: of --fail-on's severity or worse),
             1 such findings, 2 usage or I/O error
`;
const VALIDATE_USAGE = `usage: msgevents validate [--profile internal|public] [--strict] [--now RFC3339]
                          [--format text|json|sarif|junit|github] [--fail-on critical|error|warning|info]
                          [--max-event-bytes N] [--max-findings N] [--jobs N] [--site-url URL] FILE... | -
  --max-findings N: findings listed in all (default 100000); the summary counts the rest.
  --jobs N: threads that check events (1 to 64; default one per core, and 1 for the npm CLI below 3 cores); the report is the same for any N.
  exit status 1 when a finding is at or above --fail-on (default error), 2 for usage or I/O errors.
  SOURCE_DATE_EPOCH (seconds), when set, is read instead of the system clock (reproducible reports).
`;
const FORMATS = ['text', 'json', 'sarif', 'junit', 'github'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

const REDACT_USAGE = `usage: msgevents redact [--key-file FILE] [--profile public|internal] FILE|-
  writes the events with each pii value replaced by redacted:<32 hex digits>, the first 128 bits
  of HMAC-SHA-256(key, value); everything else stays byte for byte. The same value gives the same
  token under one key, so events about one address still match; without the key a token cannot be
  reversed by hashing guessed values (all phone numbers are few enough to try: a plain hash would
  not protect them, a keyed one does). Keep the key secret, or let it be random.
  --key-file FILE  the HMAC key (the file's bytes, surrounding whitespace trimmed); the same key
                   gives the same token for the same value. Without it a random key is drawn for
                   this run only.
  --profile P      public (default): pii, contact data in free text and credentials;
                   internal: credentials only.
  Fails closed: an event that cannot be read (or, in the public profile, placed in the catalog) is
  withheld, replaced by a placeholder string with none of its bytes; a redact.withheld finding on
  stderr says where and why, and the exit status is 1 (2 is for usage and I/O errors).
`;

// The messages of strerror(3) the native CLI prints for a file it cannot open or write.
const STRERROR = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  ENOSPC: 'No space left on device',
  EPIPE: 'Broken pipe',
  EBADF: 'Bad file descriptor',
  EIO: 'Input/output error',
  EFBIG: 'File too large',
  EDQUOT: 'Disk quota exceeded',
};
const reason = (error) => STRERROR[error?.code] ?? error?.message ?? String(error);

// An output that cannot be written ends the run: one line, status 2, as the native CLI. (A closed
// pipe too: what was asked for was not delivered, and a caller must not read a cut-off report
// as complete.)
function cannotWrite(error) {
  process.stderr.write(`msgevents: cannot write output: ${reason(error)}\n`);
  process.exit(2);
}

// Writes to stdout, waiting when the pipe is full so output never piles up in memory. A file or a
// terminal is written synchronously, and a failure throws here; a pipe's comes as an 'error' event.
function write(text) {
  let flushed;
  try {
    flushed = text.length === 0 || process.stdout.write(text);
  } catch (error) {
    cannotWrite(error);
  }
  if (flushed) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

// Parses validate's arguments as the native CLI does; returns a problem message or the options.
function parseValidateArgs(args, validator) {
  const parsed = { profile: 'internal', strict: false, now: undefined, maxEventBytes: undefined, format: 'text', failOn: 'error',
    siteUrl: 'http://127.0.0.1:8080/', clock: 'system', jobs: defaultJobs(), files: [] };
  for (let i = 0; i < args.length; ++i) {
    const arg = args[i];
    const value = () => (i + 1 < args.length ? args[++i] : null);
    let v;
    if (arg === '--profile') {
      if ((v = value()) === null) return '--profile needs a value (internal or public)';
      if (v !== 'internal' && v !== 'public') return `--profile must be internal or public, not '${v}'`;
      parsed.profile = v;
    } else if (arg === '--strict') {
      parsed.strict = true;
    } else if (arg === '--now') {
      if ((v = value()) === null) return '--now needs an RFC 3339 date-time';
      const ms = validator.parseDateTime(v);
      if (ms === null) return `--now must be an RFC 3339 date-time such as 2025-11-05T14:03:27Z, not '${v}'`;
      parsed.now = ms;
    } else if (arg === '--format') {
      if ((v = value()) === null) return `--format needs a value (${FORMATS.join('|')})`;
      if (!FORMATS.includes(v)) return `--format must be one of ${FORMATS.join('|')}, not '${v}'`;
      parsed.format = v;
    } else if (arg === '--fail-on') {
      if ((v = value()) === null) return '--fail-on needs a severity (critical, error, warning or info)';
      if (!SEVERITIES.includes(v)) return `--fail-on must be critical, error, warning or info, not '${v}'`;
      parsed.failOn = v;
    } else if (arg === '--site-url') {
      v = value();
      if (v === null || !/^https?:\/\//.test(v) || /[\x00-\x20\x7f#"<>\\]/.test(v)) return "--site-url needs an http:// or https:// URL without spaces, quotes or '#'";
      parsed.siteUrl = v;
    } else if (arg === '--max-event-bytes') {
      v = value();
      if (v === null || !/^[0-9]{1,12}$/.test(v) || Number(v) === 0) return '--max-event-bytes needs a positive whole number of bytes';
      parsed.maxEventBytes = Number(v);
    } else if (arg === '--max-findings') {
      v = value();
      if (v === null || !/^[0-9]{1,15}$/.test(v) || Number(v) === 0) return '--max-findings needs a positive whole number of findings';
      parsed.maxFindings = Number(v);
    } else if (arg === '--jobs') {
      v = value();
      if (v === null || !/^[0-9]{1,2}$/.test(v) || Number(v) === 0 || Number(v) > 64) return '--jobs needs a whole number of threads from 1 to 64';
      parsed.jobs = Number(v);
    } else if (arg === '-' || (arg.length > 0 && arg[0] !== '-')) {
      parsed.files.push(arg);
    } else {
      return `unknown option '${arg}'`;
    }
  }
  if (parsed.files.length === 0) return 'no input: give one or more FILEs, or - for standard input';
  if (parsed.now !== undefined) parsed.clock = '--now';
  else if (process.env.SOURCE_DATE_EPOCH !== undefined) parsed.clock = 'SOURCE_DATE_EPOCH';
  return parsed;
}

// The clock: SOURCE_DATE_EPOCH when set (reproducible-builds.org's convention), else the system's.
function clockMs() {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined) return Date.now();
  if (!/^[0-9]{1,12}$/.test(epoch)) return `SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not '${epoch}'`;
  return Number(epoch) * 1000;
}

// Whether the summary has a finding of `threshold` or worse.
const fails = (summary, threshold) => SEVERITIES.slice(0, SEVERITIES.indexOf(threshold) + 1).some((s) => summary[s] > 0);

// One part of the report: written straight to stdout, or kept in a temporary file when the
// format holds its parts back (JUnit), to be copied in place later (as the native CLI does).
class Part {
  #fd = null;
  #path = null;
  #size = 0;

  hold(dir, name) {
    this.#path = join(dir, name);
    this.#fd = openSync(this.#path, 'w+');
  }

  async write(text) {
    if (text.length === 0) return;
    if (this.#fd === null) {
      await write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    writeSync(this.#fd, bytes, 0, bytes.length, this.#size);
    this.#size += bytes.length;
  }

  // Appends what this part holds to `to` and empties it (nothing to do when it writes through).
  async moveTo(to) {
    if (this.#fd === null) return;
    for (let at = 0; at < this.#size;) {
      // A new buffer each time: stdout may still hold the last one when write() returns.
      const buffer = Buffer.allocUnsafe(1 << 16);
      const got = readSync(this.#fd, buffer, 0, Math.min(buffer.length, this.#size - at), at);
      if (got === 0) break;
      at += got;
      await to.writeBytes(buffer.subarray(0, got));
    }
    this.#size = 0;
  }

  async writeBytes(bytes) {
    if (this.#fd === null) {
      await write(bytes);
      return;
    }
    writeSync(this.#fd, bytes, 0, bytes.length, this.#size);
    this.#size += bytes.length;
  }

  close() {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}

function progressBar(label, total) {
  if (!process.stderr.isTTY || total < PROGRESS_MIN_BYTES) return { update() {}, done() {} };
  let last = 0;
  const mb = (n) => (n / 1048576).toFixed(1);
  return {
    update(done) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = Math.min(width, Math.round((done / total) * width));
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${mb(done)}/${mb(total)} MiB`);
    },
    done() {
      process.stderr.write('\r\x1b[K');
    },
  };
}

// Yields the chunks of an open file (or of standard input), CHUNK_BYTES at a time. The buffer is
// reused: each chunk is consumed (copied into the module's heap) before the next read.
async function* chunksOf(handle, progress) {
  if (handle === null) {
    for await (const chunk of process.stdin) yield chunk;
    return;
  }
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let done = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
    if (bytesRead === 0) return;
    done += bytesRead;
    yield buffer.subarray(0, bytesRead);
    progress.update(done);
  }
}

async function runValidate(args) {
  if (args.includes('--help') || args.includes('-h')) {
    await write(VALIDATE_USAGE);
    return 0;
  }
  const validator = await createValidator();
  const parsed = parseValidateArgs(args, validator);
  if (typeof parsed === 'string') {
    process.stderr.write(`msgevents validate: ${parsed}\n${VALIDATE_USAGE}`);
    return 2;
  }
  const started = clockMs();
  if (typeof started === 'string') {
    process.stderr.write(`msgevents validate: ${started}\n`);
    return 2;
  }
  const labels = parsed.files.map((file) => (file === '-' ? '<stdin>' : file));
  const options = { format: parsed.format, profile: parsed.profile, strict: parsed.strict, now: parsed.now ?? started,
    inputs: labels, clock: parsed.clock, startedAt: started, siteUrl: parsed.siteUrl };
  if (parsed.maxEventBytes !== undefined && parsed.maxEventBytes > 0) options.maxEventBytes = parsed.maxEventBytes;
  if (parsed.maxFindings !== undefined) options.maxFindings = parsed.maxFindings;
  const report = await validator.createReport(options);
  const batches = parsed.jobs > 1 ? new BatchExchange(report, parsed.jobs) : null;
  const output = new Part();
  const reportPart = new Part();
  const inputPart = new Part();
  let spool = null;
  let ioError = false;
  try {
    if (report.holdsBack) {
      spool = mkdtempSync(join(tmpdir(), 'msgevents-report-'));
      reportPart.hold(spool, 'report');
      inputPart.hold(spool, 'input');
    }
    await reportPart.write(report.begin());
    for (const [n, file] of parsed.files.entries()) {
      let handle = null;
      let size = 0;
      if (file !== '-') {
        try {
          handle = await open(file, 'r');
          size = (await handle.stat()).size;
        } catch (error) {
          await handle?.close();
          process.stderr.write(`msgevents validate: ${file}: ${STRERROR[error.code] ?? error.message}\n`);
          ioError = true;
          continue;
        }
      }
      const label = labels[n];
      await inputPart.write(report.beginInput(label));
      const progress = progressBar(label, size);
      try {
        for await (const chunk of chunksOf(handle, progress)) {
          // With --jobs, a range (BATCH_SLICE_BYTES) at a time: each push cuts about one, which
          // goes out at once, to a worker or to this thread, as the workers can take it.
          const slice = batches ? BATCH_SLICE_BYTES : SLICE_BYTES;
          for (let at = 0; at < chunk.length; at += slice) {
            if (batches) {
              await inputPart.write(batches.push(chunk.subarray(at, at + slice)));
              await inputPart.write(await batches.exchange(false));
              continue;
            }
            for (const text of report[rawPush](chunk.subarray(at, at + slice))) await inputPart.write(text);
          }
        }
      } catch (error) {
        if (!error.code) throw error;
        // As the native CLI: a read error is reported, and what was read is still validated.
        process.stderr.write(`msgevents validate: ${label}: read error\n`);
        ioError = true;
      } finally {
        progress.done();
        await handle?.close();
      }
      if (batches) await inputPart.write(await batches.finishInput());
      const { head, tail } = report.endInput();
      await reportPart.write(head);
      await inputPart.moveTo(reportPart);
      await reportPart.write(tail);
    }
    const totals = report.totals;
    const ended = clockMs();
    const { head, tail } = report.finish(typeof ended === 'number' ? ended : started);
    await output.write(head);
    await reportPart.moveTo(output);
    await output.write(tail);
    if (ioError) return 2;
    return fails(totals, parsed.failOn) ? 1 : 0;
  } finally {
    batches?.close();
    report.close();
    reportPart.close();
    inputPart.close();
    if (spool !== null) rmSync(spool, { recursive: true, force: true });
  }
}

// --jobs by default: one per core from MIN_PARALLEL_CORES on, else one. In WebAssembly the main
// thread's share of a batched run (framing, merging, the stream checks, the messages) is about 0.7
// of one thread's whole run, so two cores cannot beat one: measured on two, `--jobs 2` took 2.0 s
// for the bench's 100,000 clean events against 1.45 s for `--jobs 1` (medians of four interleaved
// rounds). The page's pool has the same threshold (POOL_MIN_CORES in web/src/worker.mjs).
const MIN_PARALLEL_CORES = 3;
function defaultJobs() {
  const cores = availableParallelism();
  return cores >= MIN_PARALLEL_CORES ? Math.min(64, cores) : 1;
}

// --jobs: the report hands out its events in batches (bytes), jobs - 1 worker threads and this
// one check them, and the results are merged back in the order the batches were taken. A batch
// goes to a worker while the workers have fewer than two each outstanding; otherwise this thread
// checks it at once. N workers beside a coordinating thread were N + 1 busy threads on N cores:
// on two, --jobs 2 took nearly twice as long as --jobs 1. The threads start with the first batch,
// so a small input never waits for them. If a thread fails, every batch from the first one it did
// not answer on is checked on this thread instead (each batch in flight is kept until merged), so
// the report stays whole.
class BatchExchange {
  #batches;
  #jobs;
  #threads; // worker threads: jobs - 1
  #workers = null;
  #pending = new Map(); // id -> { resolve, reject }
  #inFlight = []; // { batch, results: a promise (of null if the thread failed), or the results }, oldest first
  #outstanding = 0; // batches sent to the workers and not answered yet
  #next = 0;
  #failed = false;
  #local = null; // a checker on this thread

  constructor(report, jobs) {
    this.#batches = report[reportBatches]();
    this.#batches.handOut();
    this.#jobs = jobs;
    this.#threads = jobs - 1;
  }

  // Hands out the batches ready and merges those checked, waiting only while more than two a
  // thread are in flight (or for all of them, when `all`); returns the report text they completed.
  async exchange(all) {
    let text = '';
    for (let batch; (batch = this.#batches.take()) !== null;) {
      const send = !this.#failed && this.#outstanding < 2 * this.#threads;
      this.#inFlight.push({ batch, results: send ? this.#check(batch) : await this.#checkHere(batch) });
    }
    while (this.#inFlight.length > (all ? 0 : 2 * this.#jobs)) {
      const { batch, results } = this.#inFlight.shift();
      let checked = await results;
      if (checked === null) {
        this.#failed = true;
        checked = await this.#checkHere(batch);
      }
      text += this.#batches.merge(checked);
    }
    return text;
  }

  // The next bytes of the input: cut (or framed) into batches, none checked yet.
  push(bytes) {
    return this.#batches.push(bytes);
  }

  // After the last bytes of an input: frames the rest and merges every batch.
  async finishInput() {
    const text = this.#batches.close();
    return text + (await this.exchange(true));
  }

  close() {
    for (const worker of this.#workers ?? []) worker.terminate();
    this.#workers = null;
    this.#local?.close();
  }

  async #checkHere(batch) {
    if (this.#local === null) this.#local = await (await createValidator()).createBatchChecker();
    return this.#local.check(batch);
  }

  #check(batch) {
    if (this.#workers === null) this.#start();
    const id = ++this.#next;
    const worker = this.#workers[id % this.#workers.length];
    const copy = batch.slice(); // the thread gets a copy: the batch stays here until merged
    // The threads keep the process alive only while it waits for them: an answer (or the 'exit'
    // or 'error' of a thread that failed) must come before the process may end.
    if (++this.#outstanding === 1) for (const w of this.#workers) w.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, batch: copy }, [copy.buffer]);
    }).catch(() => null).finally(() => {
      if (--this.#outstanding === 0) for (const w of this.#workers ?? []) w.unref();
    });
  }

  #start() {
    this.#workers = [];
    for (let i = 0; i < this.#threads; ++i) {
      const worker = new Worker(new URL('./check-worker.js', import.meta.url));
      worker.unref();
      worker.on('message', ({ id, results, error }) => {
        const waiting = this.#pending.get(id);
        if (!waiting) return;
        this.#pending.delete(id);
        if (error) waiting.reject(new Error(error));
        else waiting.resolve(results);
      });
      const fail = (error) => {
        // No batch goes to a thread from now on: one sent to a thread that is gone would never
        // be answered.
        this.#failed = true;
        for (const waiting of this.#pending.values()) waiting.reject(error);
        this.#pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => code !== 0 && fail(new Error(`a checking thread exited with ${code}`)));
      this.#workers.push(worker);
    }
  }
}

const trimKey = (bytes) => {
  const space = (b) => b === 0x20 || (b >= 0x09 && b <= 0x0d);
  let start = 0;
  let end = bytes.length;
  while (start < end && space(bytes[start])) ++start;
  while (end > start && space(bytes[end - 1])) --end;
  return bytes.subarray(start, end);
};

// `redact`, as the native CLI: the key file's bytes (trimmed) or a random key, the input streamed
// chunk by chunk, what is withheld reported on stderr as it is found.
async function runRedact(args) {
  let keyFile = null;
  let profile = 'public';
  let input = null;
  const usage = (problem) => {
    process.stderr.write(`msgevents redact: ${problem}\n${REDACT_USAGE}`);
    return 2;
  };
  for (let i = 0; i < args.length; ++i) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      await write(REDACT_USAGE);
      return 0;
    }
    if (arg === '--key-file' || arg === '--profile') {
      if (i + 1 >= args.length) return usage(`${arg} needs a value`);
      const value = args[++i];
      if (arg === '--key-file') {
        keyFile = value;
      } else if (value === 'public' || value === 'internal') {
        profile = value;
      } else {
        process.stderr.write(`msgevents redact: unknown profile '${value}' (expected public or internal)\n`);
        return 2;
      }
    } else if (arg.length > 1 && arg[0] === '-') {
      return usage(`unknown option '${arg}'`);
    } else if (input !== null) {
      process.stderr.write(`msgevents redact: one input at a time (got '${input}' and '${arg}')\n`);
      return 2;
    } else {
      input = arg;
    }
  }
  if (input === null) return usage('no input: give a FILE, or - for standard input');

  let key;
  if (keyFile !== null) {
    try {
      key = trimKey(await readFile(keyFile));
    } catch (error) {
      process.stderr.write(`msgevents redact: cannot read the key: ${keyFile}: ${reason(error)}\n`);
      return 2;
    }
    if (key.length === 0) {
      process.stderr.write(`msgevents redact: the key file ${keyFile} is empty\n`);
      return 2;
    }
  } else {
    key = randomBytes(32);
    process.stderr.write('msgevents redact: no --key-file: using a random key for this run; its tokens match no other run\n');
  }

  let handle = null;
  if (input !== '-') {
    try {
      handle = await open(input, 'r');
    } catch (error) {
      process.stderr.write(`msgevents redact: ${input}: ${reason(error)}\n`);
      return 2;
    }
  }
  const label = input === '-' ? '<stdin>' : input;
  const validator = await createValidator();
  const redaction = validator[openRedaction]({ profile }, key, label);
  let withheld = false;
  const emit = async ({ text, findings, findingsText }) => {
    await write(text);
    if (findings.length > 0) withheld = true;
    process.stderr.write(findingsText);
  };
  try {
    try {
      for await (const chunk of chunksOf(handle, { update() {} })) await emit(redaction.push(chunk));
    } catch (error) {
      if (!error.code) throw error;
      process.stderr.write(`msgevents redact: ${input}: read error\n`);
      return 2;
    } finally {
      await handle?.close();
    }
    await emit(redaction.finish());
  } finally {
    redaction.close();
  }
  return withheld ? 1 : 0;
}

async function main(argv) {
  const [command, ...args] = argv;
  if (command === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (command === '--help' || command === '-h') {
    await write(USAGE);
    return 0;
  }
  switch (command) {
    case 'validate':
      return runValidate(args);
    case 'redact':
      return runRedact(args);
    case 'catalog':
    case 'checklist': {
      if (args.length) {
        process.stderr.write(`usage: msgevents ${command}\n`);
        return 2;
      }
      const v = await createValidator();
      await write(command === 'catalog' ? `${v.catalogJson()}\n` : v.checklist());
      return 0;
    }
    default:
      process.stderr.write(`msgevents: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

process.stdout.on('error', cannotWrite);

// Anything unexpected is one line and status 2, never a stack trace (nor 1, which means findings).
function unexpected(error) {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  process.stderr.write(message.startsWith('msgevents: ') ? `${message}\n` : `msgevents: ${message}\n`);
  process.exit(2);
}
process.on('uncaughtException', unexpected);
process.on('unhandledRejection', unexpected);

main(process.argv.slice(2)).then((status) => { process.exitCode = status; }, unexpected);
