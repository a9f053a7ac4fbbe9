// Parity: every case of the shared fixture folder (tests/fixtures/, also run by the GoogleTest
// suite) gives exactly the expected findings through the npm package, in one call and streamed.
//
// A case is tests/fixtures/<name>.expect.json next to its input <name>.ndjson or <name>.json:
// {"description", "options": {"profile", "strict", "now", "max_event_bytes"?, "max_findings"?, "max_depth"?},
//  "summary": {...},
//  "findings": [{"code", "severity", "message"?, "pointer", "line", "column", "event_index"}]}
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPackage, repoRoot } from './helpers/package.mjs';

const dir = join(repoRoot, 'tests/fixtures');
const cases = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.expect.json')).sort() : [];
const { createValidator } = await importPackage();
const v = await createValidator();

const compared = (f) => ({ code: f.code, severity: f.severity, pointer: f.pointer, line: f.line, column: f.column, event_index: f.event_index });

test('the shared fixture folder has cases', () => {
  assert.ok(cases.length > 0, `no *.expect.json in ${dir}`);
});

for (const file of cases) {
  const name = file.slice(0, -'.expect.json'.length);
  test(`fixture ${name}`, () => {
    const expect = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const inputFile = ['.ndjson', '.json'].map((ext) => join(dir, name + ext)).find(existsSync);
    assert.ok(inputFile, `no input file for ${name}`);
    const input = readFileSync(inputFile);
    const o = expect.options ?? {};
    // The fixture's option names are the core's; the JS API spells them in camelCase.
    const options = { profile: o.profile ?? 'internal', strict: o.strict ?? false, now: o.now ?? undefined };
    if (o.max_event_bytes !== undefined) options.maxEventBytes = o.max_event_bytes;
    if (o.max_findings !== undefined) options.maxFindings = o.max_findings;
    if (o.max_depth !== undefined) options.maxDepth = o.max_depth;

    const report = v.validate(input, options);
    assert.deepEqual(report.findings.map(compared), expect.findings.map(compared), expect.description);
    for (const [i, f] of expect.findings.entries()) {
      if (f.message !== undefined) assert.equal(report.findings[i].message, f.message, `${name}: message of finding ${i}`);
    }
    if (expect.summary) assert.deepEqual(report.summary, expect.summary, `${name}: summary`);

    // The same bytes in 5-byte chunks: identical findings.
    const session = v.createSession(options);
    const streamed = [];
    for (let i = 0; i < input.length; i += 5) streamed.push(...session.push(input.subarray(i, i + 5)));
    const rest = session.finish();
    assert.deepEqual(streamed.concat(rest.findings), report.findings, `${name}: streamed`);
    assert.deepEqual(rest.summary, report.summary);
  });
}
