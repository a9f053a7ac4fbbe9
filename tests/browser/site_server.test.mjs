// The site's static server (scripts/serve.mjs), which `npm start` and the browser tests use: the
// MIME types WebAssembly streaming compilation and module workers need, the security headers on
// every response (errors too), nothing served from outside site/, only loopback or configured Host
// names (DNS rebinding), and read errors answered cleanly without taking the server down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, CSP } from '../../scripts/serve.mjs';
import { SITE } from './site/harness.mjs';

let server;
let url;

before(async () => {
  ({ server, url } = await startServer({ root: SITE, port: 0, host: '127.0.0.1' }));
});

after(() => new Promise((resolve) => server.close(resolve)));

// A raw request, so that paths like /../ and Host headers reach the server as written.
function get(path, { method = 'GET', host, base = url } = {}) {
  const { port, hostname } = new URL(base);
  const headers = host === undefined ? {} : { Host: host };
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

// What the page relies on, written out here so that a loosened policy fails this test.
const EXPECTED_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
];

function assert_security_headers(res, what) {
  assert.deepEqual(res.headers['content-security-policy'].split(/;\s*/), EXPECTED_CSP, what);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', what);
  assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin', what);
  assert.equal(res.headers['cross-origin-resource-policy'], 'same-origin', what);
}

test('serves the site with the right MIME types and the security headers', async () => {
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(index.headers['content-security-policy'], CSP);
  assert_security_headers(index, '/');
  assert.match(index.body.toString(), /<script type="module" src="\.\/app\.mjs">/);
  for (const [path, type] of [
    ['/app.mjs', 'text/javascript; charset=utf-8'],
    ['/worker.mjs', 'text/javascript; charset=utf-8'],
    ['/msgevents.mjs', 'text/javascript; charset=utf-8'],
    ['/pkg/src/index.js', 'text/javascript; charset=utf-8'],
    ['/pkg/dist/msgevents_wasm.wasm', 'application/wasm'],
    ['/style.css', 'text/css; charset=utf-8'],
  ]) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers['content-type'], type, path);
    assert_security_headers(res, path);
  }
  const wasm = await get('/pkg/dist/msgevents_wasm.wasm');
  assert.deepEqual([...wasm.body.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
  const head = await get('/style.css', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers['content-length']), (await get('/style.css')).body.length);
  assert.equal(head.body.length, 0);
  assert_security_headers(head, 'HEAD /style.css');
});

test('error responses carry the security headers too', async () => {
  const cases = [
    ['/no-such-file.js', {}, 404],
    ['/%E0%A4%A', {}, 400],
    ['/..%2fpackage.json', {}, 403],
    ['/', { method: 'POST' }, 405],
    ['/', { host: 'evil.example' }, 421],
  ];
  for (const [path, options, status] of cases) {
    const res = await get(path, options);
    assert.equal(res.status, status, `${options.method || 'GET'} ${path}`);
    assert_security_headers(res, `${status} ${path}`);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8', `${status} ${path}`);
  }
});

test('other methods get 405 with an Allow header and no file', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const res = await get('/index.html', { method });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.allow, 'GET, HEAD', method);
    assert.doesNotMatch(res.body.toString(), /<html/i, method);
  }
});

test('nothing outside site/ is served', async () => {
  for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/pkg/../../package.json']) {
    const res = await get(path);
    assert.ok(res.status === 403 || res.status === 404, `${path}: ${res.status}`);
    assert.ok(!res.body.toString().includes('"devDependencies"'), `${path} leaked package.json`);
  }
  assert.equal((await get('/no-such-file.js')).status, 404);
  assert.equal((await get('/%E0%A4%A')).status, 400);
});

test('a Host header that is not a loopback name gets 421 and no file (DNS rebinding)', async () => {
  const { port } = new URL(url);
  for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `localhost.evil.example`,
    `user@127.0.0.1:${port}`, `127.0.0.1:${port}/x`, '127.0.0.2', '[::2]']) {
    const res = await get('/index.html', { host });
    assert.equal(res.status, 421, `Host: ${host}`);
    assert.doesNotMatch(res.body.toString(), /<html/i, `Host: ${host}`);
  }
  // HTTP/1.0 lets a client leave Host out, or send it empty; a browser never does, and the server
  // refuses both.
  for (const head of ['GET /index.html HTTP/1.0\r\n\r\n', 'GET /index.html HTTP/1.0\r\nHost:\r\n\r\n']) {
    const raw = await new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(head));
      let text = '';
      socket.on('data', (c) => { text += c; });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 421 /, JSON.stringify(head));
    assert.doesNotMatch(raw, /<html/i, JSON.stringify(head));
  }
});

test('the loopback names pass, with and without the port', async () => {
  const { port } = new URL(url);
  for (const name of ['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]']) {
    for (const host of [name, `${name}:${port}`]) {
      const res = await get('/index.html', { host });
      assert.equal(res.status, 200, `Host: ${host}`);
      assert.match(res.body.toString(), /<html/i, `Host: ${host}`);
    }
  }
});

test('the configured host passes, other addresses do not', async (t) => {
  // Any 127/8 address is this machine on Linux: one that is not in the loopback list above.
  const other = await startServer({ root: SITE, port: 0, host: '127.0.0.2' });
  t.after(() => new Promise((resolve) => other.server.close(resolve)));
  const { port } = new URL(other.url);
  assert.equal(other.url, `http://127.0.0.2:${port}/`);
  for (const host of ['127.0.0.2', `127.0.0.2:${port}`, 'localhost']) {
    assert.equal((await get('/index.html', { host, base: other.url })).status, 200, `Host: ${host}`);
  }
  assert.equal((await get('/index.html', { host: '127.0.0.3', base: other.url })).status, 421);
  // The first server was started on 127.0.0.1 and does not accept 127.0.0.2.
  assert.equal((await get('/index.html', { host: '127.0.0.2' })).status, 421);
});

// A FIFO used to hang the request (and the old server crashed on the folder): bounded in time.
test('a folder named index.html, or a FIFO, gets a clean 404 and the server keeps serving', { timeout: 10000 }, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'msgevents-serve-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(path.join(root, 'docs', 'index.html'), { recursive: true });
  mkdirSync(path.join(root, 'index.html'));
  writeFileSync(path.join(root, 'ok.txt'), 'still here\n');
  execFileSync('mkfifo', [path.join(root, 'pipe.txt')]);
  const other = await startServer({ root, port: 0, host: '127.0.0.1' });
  t.after(() => new Promise((resolve) => other.server.close(resolve)));
  for (const rel of ['/', '/docs/', '/docs', '/docs/index.html', '/index.html', '/pipe.txt']) {
    const res = await get(rel, { base: other.url });
    assert.equal(res.status, 404, rel);
    assert_security_headers(res, rel);
    assert.equal(res.body.toString(), 'not found\n', rel);
  }
  const ok = await get('/ok.txt', { base: other.url });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.toString(), 'still here\n');
  assert.equal((await get('/index.html')).status, 200, 'the site server is still up too');
});
