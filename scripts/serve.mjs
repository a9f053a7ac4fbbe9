#!/usr/bin/env node
// A tiny static file server for the built site (site/): correct MIME types (application/wasm for
// streaming compilation, text/javascript for ES modules) and the site's security headers on every
// response, errors included. The Content-Security-Policy goes as an HTTP header because (unlike a
// <meta> tag) it also covers the validator's module worker and can forbid framing.
//
//   node scripts/serve.mjs [--root site] [--port 8080] [--host 127.0.0.1]
//
// Also importable: `startServer({root, port, host})` resolves to {server, url}; port 0 picks a free one.
//
// It answers only requests whose Host header names a loopback address or the configured host: a
// page on another site that re-points its own DNS name at 127.0.0.1 (DNS rebinding) would
// otherwise read the served files as same-origin.
import { createServer } from 'node:http';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// frame-ancestors only works as a header (browsers ignore it in a <meta> CSP), so the page's own
// meta tag leaves it out and this header adds it.
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

// Sent with every response, including 4xx/5xx: an error page is a document too.
export const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // No other origin's window keeps a handle on the page, and no other origin may embed its files.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ndjson': 'application/x-ndjson',
  '.map': 'application/json; charset=utf-8',
  '.d.ts': 'text/plain; charset=utf-8',
};

function mime_for(file) {
  return MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function send_error(res, status, text, extra = {}) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(text);
}

// The host names a request may carry: the loopback names and the one the server was started on.
// IPv6 literals appear in a Host header in brackets ("[::1]:8080").
function allowed_host_names(host) {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  const configured = String(host).toLowerCase();
  names.add(configured.includes(':') && !configured.startsWith('[') ? `[${configured}]` : configured);
  return names;
}

// "name", "name:port", "[v6]" or "[v6]:port", lower-cased; null for anything else (user info, a
// path, an empty header).
function host_name_of(header) {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::[0-9]{1,5})?$/i.exec(header || '');
  return match ? match[1].toLowerCase() : null;
}

// O_NONBLOCK: opening a FIFO would otherwise wait for a writer (regular files ignore the flag).
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;
async function open_with_info(file) {
  const handle = await open(file, OPEN_FLAGS);
  try {
    return { handle, info: await handle.stat() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

// Opens the file to serve (a folder's index.html), or says why not. The handle is kept, so what was
// checked is what is read, even if the file is swapped meanwhile.
async function open_file(file) {
  let { handle, info } = await open_with_info(file);
  if (info.isDirectory()) {
    await handle.close();
    file = path.join(file, 'index.html');
    ({ handle, info } = await open_with_info(file));
  }
  if (!info.isFile()) {
    // A folder named index.html, a FIFO, a device: nothing a static site serves.
    await handle.close();
    const error = new Error(`not a regular file: ${file}`);
    error.code = 'ENOTFILE';
    throw error;
  }
  return { handle, info, file };
}

export function startServer({ root = 'site', port = 8080, host = '127.0.0.1' } = {}) {
  const base = path.resolve(root);
  const hosts = allowed_host_names(host);
  async function respond(req, res) {
    if (!hosts.has(host_name_of(req.headers.host))) return send_error(res, 421, 'unknown host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send_error(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send_error(res, 400, 'bad request\n');
    }
    const requested = path.join(base, rel);
    // Never serve anything outside the site folder.
    if (requested !== base && !requested.startsWith(base + path.sep)) return send_error(res, 403, 'forbidden\n');
    let opened;
    try {
      opened = await open_file(requested);
    } catch (error) {
      if (['ENOENT', 'ENOTDIR', 'EISDIR', 'ENOTFILE', 'ENAMETOOLONG', 'ELOOP'].includes(error.code)) return send_error(res, 404, 'not found\n');
      return send_error(res, 500, 'could not read the file\n');
    }
    const { handle, info, file } = opened;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': mime_for(file),
      'Content-Length': info.size,
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      await handle.close();
      return res.end();
    }
    const stream = handle.createReadStream();  // closes the handle when done or on error
    // Headers are gone by the time a read fails: cutting the connection short is the only honest
    // answer (the client sees fewer bytes than Content-Length), and the server carries on.
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }
  // Whatever goes wrong in one request (an unexpected error included) ends that request only.
  const server = createServer((req, res) => {
    respond(req, res).catch(() => {
      if (!res.headersSent) send_error(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({ server, url: `http://${shown}:${actual}/` });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = opt('root', path.join(here, '..', 'site'));
  const { url } = await startServer({ root, port: Number(opt('port', 8080)), host: opt('host', '127.0.0.1') });
  console.log(`msgevents site: ${url}`);
}
