#!/usr/bin/env node
// The npm CLI: the native `msgevents` CLI's contract on the WASM core, byte for byte.
//
//   msgevents validate [--profile internal|public] [--strict] [--now RFC3339] [--format text|json]
//                      [--max-event-bytes N] FILE... | -
//   msgevents catalog
//   msgevents checklist
//   msgevents redact [--key-file FILE] [--profile public|internal] FILE|-
//
// Exit status: 0 when no finding is error or critical, 1 when one is (for redact: when an event was
// withheld), 2 for usage or I/O errors, an output that cannot be written, or any unexpected error.
// Each file is read in 1 MiB chunks into a streaming session and findings are written as they are
// produced, so memory stays bounded on large inputs; a progress bar goes to stderr only when
// stderr is a terminal. JSON output: {"findings","summary","aggregates","aggregates_omitted"} for
// one file; for several {"files": [{"file", "findings", "summary", ...}, ...], "summary": totals}.
import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { createValidator } from '../src/index.js';
import { openRedaction, rawFinish, rawPush } from '../src/internal.js';

const CHUNK_BYTES = 1 << 20;
const PROGRESS_MIN_BYTES = 8 << 20; // smaller files finish before a bar would help

const USAGE = `usage: msgevents <command> [options]

commands:
  validate [--profile internal|public] [--strict] [--now RFC3339] [--format text|json] FILE... | -
                 check events (one JSON event, a JSON array of events, or NDJSON)
  catalog        print the event catalog as JSON
  checklist      print the validation checklist (Markdown)
  redact [--key-file FILE] [--profile public|internal] FILE|-
                 replace personal data with keyed tokens

exit status: 0 no finding of severity error or critical, 1 such findings, 2 usage or I/O error
`;
const VALIDATE_USAGE = `usage: msgevents validate [--profile internal|public] [--strict] [--now RFC3339] [--format text|json]
                          [--max-event-bytes N] FILE... | -
`;

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
  const parsed = { profile: 'internal', strict: false, now: undefined, maxEventBytes: undefined, json: false, files: [] };
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
      if ((v = value()) === null) return '--format needs a value (text or json)';
      if (v !== 'text' && v !== 'json') return `--format must be text or json, not '${v}'`;
      parsed.json = v === 'json';
    } else if (arg === '--max-event-bytes') {
      v = value();
      if (v === null || !/^[0-9]{1,12}$/.test(v) || Number(v) === 0) return '--max-event-bytes needs a positive whole number of bytes';
      parsed.maxEventBytes = Number(v);
    } else if (arg === '-' || (arg.length > 0 && arg[0] !== '-')) {
      parsed.files.push(arg);
    } else {
      return `unknown option '${arg}'`;
    }
  }
  if (parsed.files.length === 0) return 'no input: give one or more FILEs, or - for standard input';
  // The core never reads the clock; the CLI passes the machine's.
  if (parsed.now === undefined) parsed.now = Date.now();
  return parsed;
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

// A file name as a JSON string literal, as the core's json_quote writes it (which also escapes DEL).
const jsonQuote = (label) => JSON.stringify(label).replace(/\x7f/g, '\\u007f');

// Twins of the core's text writer (src/lib/report_text.cpp: terminal_safe, finding_to_text,
// summary_to_text) until one writer serves both CLIs; the parity tests hold them byte for byte.
const HIDDEN = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const terminalSafe = (text) => text.replace(HIDDEN, (c) => {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const cp = c.charCodeAt(0);
  return cp < 0x80 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
});
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
function summaryLine(label, s) {
  let line = `${terminalSafe(label)}: ${plural(s.events, 'event')}, ${s.critical} critical, ${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info`;
  if (s.incomplete) {
    const why = [];
    if (s.input_rejected) why.push('the input is not UTF-8 JSON events and was not read');
    if (s.events_skipped > 0) why.push(`${plural(s.events_skipped, 'event')} over the size limit skipped unread`);
    if (s.findings_omitted > 0) why.push(`${plural(s.findings_omitted, 'finding')} counted but not listed (too many in one event)`);
    line += `; INCOMPLETE: ${why.join('; ')}`;
  }
  return `${line}\n`;
}
const textLines = (label, findings) =>
  findings.map((f) => `${terminalSafe(label)}:${f.line}:${f.column}: ${f.severity} ${terminalSafe(f.code)} ${terminalSafe(f.message)}\n`).join('');

// The totals of several files, as the core's summary_to_json writes them (limits only when hit).
function addSummary(total, s) {
  for (const key of ['events', 'critical', 'error', 'warning', 'info']) total[key] += s[key];
  if (s.incomplete) {
    total.incomplete = true;
    total.findings_omitted = (total.findings_omitted ?? 0) + s.findings_omitted;
    total.events_skipped = (total.events_skipped ?? 0) + s.events_skipped;
    total.input_rejected = Boolean(total.input_rejected) || s.input_rejected;
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
  const options = { profile: parsed.profile, strict: parsed.strict, now: parsed.now };
  if (parsed.maxEventBytes !== undefined && parsed.maxEventBytes > 0) options.maxEventBytes = parsed.maxEventBytes;
  const several = parsed.files.length > 1;
  const total = { events: 0, critical: 0, error: 0, warning: 0, info: 0 };
  let ioError = false;
  let firstFile = true;
  if (parsed.json && several) await write('{"files":[');

  for (const file of parsed.files) {
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
    const label = file === '-' ? '<stdin>' : file;
    if (parsed.json) await write(several ? `${firstFile ? '' : ','}{"file":${jsonQuote(label)},"findings":[` : '{"findings":[');
    firstFile = false;
    let firstFinding = true;
    const emitJson = (array) => {
      const inner = array.slice(1, -1); // "[a,b]" -> "a,b"
      if (inner.length === 0) return undefined;
      const text = firstFinding ? inner : `,${inner}`;
      firstFinding = false;
      return write(text);
    };

    const session = validator.createSession(options);
    const progress = progressBar(label, size);
    try {
      try {
        for await (const chunk of chunksOf(handle, progress)) {
          for (const found of session[rawPush](chunk)) {
            if (parsed.json) await emitJson(found);
            else await write(textLines(label, JSON.parse(found)));
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
      const rest = session[rawFinish]();
      const summary = JSON.parse(rest.summary);
      addSummary(total, summary);
      if (parsed.json) {
        await emitJson(rest.findings);
        await write(`],"summary":${rest.summary},"aggregates":${rest.aggregates},"aggregates_omitted":${rest.aggregatesOmitted}}`);
      } else {
        await write(textLines(label, JSON.parse(rest.findings)) + summaryLine(label, summary));
      }
    } finally {
      session.close();
    }
  }
  if (parsed.json && several) await write(`],"summary":${JSON.stringify(total)}}`);
  if (parsed.json) await write('\n');
  if (!parsed.json && several) await write(summaryLine('total', total));
  if (ioError) return 2;
  return total.critical + total.error > 0 ? 1 : 0;
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
  const redaction = validator[openRedaction]({ profile }, key);
  let withheld = false;
  const emit = async ({ text, findings }) => {
    await write(text);
    if (findings.length > 0) withheld = true;
    process.stderr.write(textLines(label, findings));
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
