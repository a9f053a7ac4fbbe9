// The hostile inputs of adversarial_bench (issue 10), validated by the WebAssembly package in
// Node: time per MiB at two sizes (linear time shows as the same ms/MiB at both) and against
// ordinary events, as the native table prints it.
//
//   node bench/adversarial_wasm.mjs [--package DIR] [--native-bench PATH] [--rounds N]
//
// The inputs are written by the native tool (`adversarial_bench --write DIR`), so both tables
// time the same bytes. Each input is one `v.validate(bytes)` call, best of N rounds (default 3),
// after one warm-up call that lets the engine tier the code up.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repoRoot = resolve(import.meta.dirname, '..');
const args = { package: join(repoRoot, 'npm'), nativeBench: join(repoRoot, 'build/native/bench/adversarial_bench'), rounds: 3 };
for (let i = 2; i < process.argv.length; ++i) {
  const a = process.argv[i];
  if (a === '--package') args.package = resolve(process.argv[++i]);
  else if (a === '--native-bench') args.nativeBench = resolve(process.argv[++i]);
  else if (a === '--rounds') args.rounds = Number(process.argv[++i]);
  else throw new Error(`unknown argument ${a}`);
}

const dir = mkdtempSync(join(tmpdir(), 'msgevents-adversarial-'));
try {
  // "<path>  <name>" per line, small then large for each class, in the native table's order.
  const written = execFileSync(args.nativeBench, ['--write', dir], { encoding: 'utf8' }).trim().split('\n');
  const { createValidator } = await import(pathToFileURL(join(args.package, 'src/index.js')).href);
  const v = await createValidator();
  const options = { now: '2027-01-01T00:00:00Z', maxEventBytes: 4 << 20 };  // as adversarial_bench
  const time = (path) => {
    const bytes = readFileSync(path);
    let best = Infinity, events = 0;
    for (let r = 0; r <= args.rounds; ++r) {  // round 0 warms up
      const t = performance.now();
      events = v.validate(bytes, options).summary.events;
      if (r > 0) best = Math.min(best, performance.now() - t);
    }
    return { msPerMiB: best / (bytes.length / (1 << 20)), usPerEvent: (1000 * best) / events };
  };
  const paths = written.map((line) => line.split(/  (.*)/));
  for (let r = 0; r < 3; ++r) time(paths[1][0]);  // the engine tiers the code up before any row
  const rows = [];
  for (let i = 0; i < paths.length; i += 2) {
    const small = time(paths[i][0]), large = time(paths[i + 1][0]);
    rows.push({ name: paths[i][1], small, large });
  }
  const ordinary = rows[0].large;
  console.log(`${'input (WebAssembly in Node)'.padEnd(66)} ms/MiB small ms/MiB large vs ordinary`);
  for (const row of rows) {
    console.log(`${row.name.padEnd(66)} ${row.small.msPerMiB.toFixed(1).padStart(12)} ${row.large.msPerMiB.toFixed(1).padStart(12)} ${(row.large.msPerMiB / ordinary.msPerMiB).toFixed(2).padStart(8)}x`);
  }
  const size = (path) => path.replace(/^.*-|\.ndjson$/g, '');
  console.log(`(small = ${size(paths[0][0])}, large = ${size(paths[1][0])}; best of ${args.rounds}; ms/MiB must not grow from small to large)`);
  // A MiB of `{}` lines is 175 times as many events as a MiB of ordinary ones: per event it is the cheaper.
  const empty = rows[rows.length - 1];
  console.log(`per event: ${empty.name.replace(/ \(.*/, '')} ${empty.large.usPerEvent.toFixed(2)} us, ordinary events ${ordinary.usPerEvent.toFixed(2)} us (${(empty.large.usPerEvent / ordinary.usPerEvent).toFixed(2)}x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
