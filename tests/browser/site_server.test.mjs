// The site's static server (scripts/serve.mjs), which `npm start` and the browser tests use: the
// MIME types WebAssembly streaming compilation and module workers need, the CSP header that also
// covers the worker, and nothing served from outside site/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer, CSP } from '../../scripts/serve.mjs';
import { SITE } from './site/harness.mjs';

let server;
let url;

before(async () => {
  ({ server, url } = await startServer({ root: SITE, port: 0, host: '127.0.0.1' }));
});

after(() => new Promise((resolve) => server.close(resolve)));

// A raw GET, so that paths like /../ reach the server as written.
function get(path) {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves the site with the right MIME types and the CSP header', async () => {
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(index.headers['content-security-policy'], CSP);
  assert.match(CSP, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(CSP, /worker-src 'self'/);
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
    assert.equal(res.headers['content-security-policy'], CSP, path);
  }
  const wasm = await get('/pkg/dist/msgevents_wasm.wasm');
  assert.deepEqual([...wasm.body.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
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
