// The page's pool in headless Chromium against one worker, on one corpus: the browser side of
// bench/head_to_head.mjs (bench/browser/worker.mjs, which runs every side in one module worker, in
// interleaved rounds), with the pools to compare.
//
//   node bench/pool_browser.mjs --corpus FILE [--rounds N] [--pools 2,1+,2+] [--package npm]
//
// Sides: one call (validate(bytes)), a session fed 64 KiB pushes (the page with one worker), and
// each pool: N checking sub-workers, `+` when the coordinating worker checks batches too (the
// page's path). The ratios are against the session (what the page would otherwise run).
import { readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

import { serveBench } from './bench_server.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = { corpus: null, rounds: 5, pools: '2,1+,2+', package: join(repoRoot, 'npm') };
for (let i = 2; i < process.argv.length; ++i) {
  const a = process.argv[i];
  if (a === '--corpus') args.corpus = process.argv[++i];
  else if (a === '--rounds') args.rounds = Number(process.argv[++i]);
  else if (a === '--pools') args.pools = process.argv[++i];
  else if (a === '--package') args.package = resolve(process.argv[++i]);
  else throw new Error(`unknown argument ${a}`);
}
if (!args.corpus) throw new Error('usage: node bench/pool_browser.mjs --corpus FILE [--rounds N] [--pools 2,1+,2+] [--package DIR]');

const server = await serveBench({ packageDir: args.package, corpusPath: args.corpus });

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
const loadStart = loadavg()[0];
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/index.html?rounds=${args.rounds}&now=${Date.UTC(2027, 0, 1)}&pools=${encodeURIComponent(args.pools)}`);
  await page.waitForFunction(() => window.benchResult !== undefined, null, { timeout: 900000 });
  const result = await page.evaluate(() => window.benchResult);
  if (result.error) throw new Error(`browser worker: ${result.error}`);
  if (errors.length) throw new Error(`browser page: ${errors.join('; ')}`);
  const mb = readFileSync(args.corpus).length / 1e6;
  const session = result.sides.find((s) => s.side === 'session').seconds;
  console.log(`${args.corpus}: ${mb.toFixed(1)} MB, ${result.events} events; Chromium, ${result.cores} cores; median of ${args.rounds} interleaved rounds; load ${loadStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`);
  for (const s of result.sides) {
    if (s.side === 'pool') continue;
    const start = s.pool_start === undefined ? '' : ` (started in ${(s.pool_start * 1000).toFixed(0)} ms, not timed)`;
    console.log(`${s.side.padEnd(10)} ${(s.seconds * 1000).toFixed(0).padStart(6)} ms ${(mb / s.seconds).toFixed(1).padStart(6)} MB/s  x${(session / s.seconds).toFixed(2)} the session${start}`);
  }
} finally {
  await browser.close();
  server.close();
}
