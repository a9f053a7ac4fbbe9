// The static server of the browser benchmarks (head_to_head.mjs, pool_browser.mjs), on 127.0.0.1:
// the package under /npm/, the worker page under /bench/, the site's own modules (the pool and its
// checking worker) under /web/, and the corpus at /corpus.ndjson.
//
//   const server = await serveBench({ packageDir, corpusPath });  // listening on a free port
//   const { port } = server.address();
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.ndjson': 'application/x-ndjson' };

// What the site's build writes as its msgevents.mjs (the package's entry), for the site's
// checking workers served from /web/.
const SITE_ENTRY = "export * from '/npm/src/index.js';\n";

export function serveBench({ packageDir, corpusPath }) {
  const roots = { '/npm/': resolve(packageDir), '/bench/': join(repoRoot, 'bench/browser'), '/web/': join(repoRoot, 'web/src') };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/web/msgevents.mjs') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(SITE_ENTRY);
      return;
    }
    let file = url.pathname === '/corpus.ndjson' ? resolve(corpusPath) : null;
    for (const [prefix, dir] of Object.entries(roots)) {
      if (url.pathname.startsWith(prefix)) {
        const candidate = resolve(dir, `.${url.pathname.slice(prefix.length - 1)}`);
        if (candidate.startsWith(dir)) file = candidate;
      }
    }
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
