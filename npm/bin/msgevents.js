#!/usr/bin/env node
// The npm CLI: the native `msgevents` CLI's contract (flags, output, exit codes) on the WASM core.
//
//   msgevents validate [--profile internal|public] [--strict] [--now RFC3339] [--format text|json] FILE... | -
//   msgevents catalog
//   msgevents checklist
//
// Exit status: 0 when no finding is error or critical, 1 when one is, 2 for usage or I/O errors.
// Files are read in 1 MiB chunks into a streaming session, so memory stays bounded on large
// inputs; a progress bar goes to stderr only when stderr is a terminal.
import { open } from 'node:fs/promises';
import { createValidator, parseRfc3339 } from '../src/index.js';

const CHUNK_BYTES = 1 << 20;
const PROGRESS_MIN_BYTES = 16 << 20; // smaller files finish before a bar would help

const USAGE = `usage: msgevents validate [--profile internal|public] [--strict] [--now RFC3339] [--format text|json] FILE... | -
       msgevents catalog
       msgevents checklist
`;

class UsageError extends Error {}

function parseValidateArgs(args) {
  const options = { profile: 'internal', strict: false, now: undefined, format: 'text', files: [] };
  const value = (i, flag) => {
    if (i + 1 >= args.length) throw new UsageError(`${flag} needs a value`);
    return args[i + 1];
  };
  let onlyFiles = false;
  for (let i = 0; i < args.length; ++i) {
    const arg = args[i];
    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      options.files.push(arg);
      continue;
    }
    let [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = () => {
      if (inline !== undefined) return inline;
      const v = value(i, flag);
      ++i;
      return v;
    };
    switch (flag) {
      case '--':
        onlyFiles = true;
        break;
      case '--profile':
        options.profile = take();
        if (options.profile !== 'internal' && options.profile !== 'public') {
          throw new UsageError(`--profile must be internal or public, not "${options.profile}"`);
        }
        break;
      case '--strict':
        if (inline !== undefined) throw new UsageError('--strict takes no value');
        options.strict = true;
        break;
      case '--now': {
        const text = take();
        if (parseRfc3339(text) === null) throw new UsageError(`--now must be an RFC 3339 date-time, not "${text}"`);
        options.now = text;
        break;
      }
      case '--format':
        options.format = take();
        if (options.format !== 'text' && options.format !== 'json') {
          throw new UsageError(`--format must be text or json, not "${options.format}"`);
        }
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  if (options.files.length === 0) throw new UsageError('validate needs at least one FILE (or - for standard input)');
  return options;
}

// Writes to stdout, waiting when the pipe is full so output never piles up in memory.
async function write(text) {
  if (text.length === 0) return;
  if (!process.stdout.write(text)) {
    await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

function progressBar(name, total) {
  if (!process.stderr.isTTY || total < PROGRESS_MIN_BYTES) return { update() {}, done() {} };
  let last = 0;
  const mb = (n) => (n / 1048576).toFixed(1);
  return {
    update(done) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r${name} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${mb(done)}/${mb(total)} MB`);
    },
    done() {
      process.stderr.write('\r\x1b[K');
    },
  };
}

// Yields the chunks of a file (or standard input for "-"), CHUNK_BYTES at a time.
async function* chunksOf(path, progress) {
  if (path === '-') {
    for await (const chunk of process.stdin) yield chunk;
    return;
  }
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let done = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      done += bytesRead;
      yield buffer.subarray(0, bytesRead);
      progress.update(done);
    }
  } finally {
    await handle.close();
  }
}

async function fileSize(path) {
  if (path === '-') return 0;
  const handle = await open(path, 'r');
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

function displayName(path) {
  return path === '-' ? '<stdin>' : path;
}

function textLine(name, f) {
  return `${name}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}\n`;
}

function summaryLine(name, s) {
  return `${name}: ${s.events} events, ${s.critical} critical, ${s.error} errors, ${s.warning} warnings, ${s.info} info\n`;
}

async function runValidate(args) {
  const opts = parseValidateArgs(args);
  const validator = await createValidator();
  const sessionOptions = { profile: opts.profile, strict: opts.strict, now: opts.now };
  const reports = [];
  let failed = false;
  for (const path of opts.files) {
    const name = displayName(path);
    let session = null;
    const progress = progressBar(name, await fileSize(path).catch(() => 0));
    const findings = [];
    try {
      session = validator.createSession(sessionOptions);
      for await (const chunk of chunksOf(path, progress)) {
        const found = session.push(chunk);
        if (opts.format === 'text') await write(found.map((f) => textLine(name, f)).join(''));
        else for (const f of found) findings.push(f);
      }
      progress.done();
      const report = session.finish();
      if (opts.format === 'text') {
        await write(report.findings.map((f) => textLine(name, f)).join('') + summaryLine(name, report.summary));
      } else {
        report.findings = findings.concat(report.findings);
        reports.push({ file: path, report });
      }
      if (report.summary.error > 0 || report.summary.critical > 0) failed = true;
    } catch (error) {
      progress.done();
      if (error.code) throw new IoError(`${name}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
      throw error;
    } finally {
      session?.close();
    }
  }
  if (opts.format === 'json') {
    await write(formatJsonReports(reports));
  }
  return failed ? 1 : 0;
}

function formatJsonReports(reports) {
  if (reports.length === 1) return `${JSON.stringify(reports[0].report)}\n`;
  return `${JSON.stringify({ files: reports.map(({ file, report }) => ({ file, ...report })) })}\n`;
}

class IoError extends Error {}

async function main(argv) {
  const [command, ...args] = argv;
  switch (command) {
    case 'validate':
      return runValidate(args);
    case 'catalog': {
      if (args.length) throw new UsageError('catalog takes no arguments');
      const v = await createValidator();
      const text = v.catalogJson();
      await write(text.endsWith('\n') ? text : `${text}\n`);
      return 0;
    }
    case 'checklist': {
      if (args.length) throw new UsageError('checklist takes no arguments');
      const v = await createValidator();
      await write(v.checklist());
      return 0;
    }
    case '-h':
    case '--help':
    case 'help':
      await write(USAGE);
      return 0;
    case undefined:
      throw new UsageError('missing command');
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

process.stdout.on('error', (error) => {
  // A closed pipe (`msgevents ... | head`) is the reader's choice, not a failure.
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (status) => { process.exitCode = status; },
  (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`msgevents: ${error.message}\n${USAGE}`);
    } else if (error instanceof IoError) {
      process.stderr.write(`msgevents: ${error.message}\n`);
    } else {
      process.stderr.write(`msgevents: ${error?.message ?? error}\n`);
    }
    process.exitCode = 2;
  },
);
