// The TypeScript types, as a user compiles against them: tests/node/types/usage.ts (API calls and
// events built with the generated catalog types, plus `@ts-expect-error` lines that MUST fail) is
// compiled with `tsc --noEmit` inside the project the tarball is installed in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, testProject } from './helpers/package.mjs';

const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

function compile(dir) {
  const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('the usage file type-checks against the installed package', () => {
  const dir = join(testProject(), 'ts-usage');
  mkdirSync(dir, { recursive: true });
  cpSync(join(repoRoot, 'tests/node/types'), dir, { recursive: true });
  const { status, output } = compile(dir);
  // An unused @ts-expect-error is itself an error, so the wrong events must really be refused.
  assert.equal(status, 0, output);
});

test('a wrong event fails to type-check, naming the wrong field', () => {
  const dir = join(testProject(), 'ts-wrong');
  mkdirSync(dir, { recursive: true });
  cpSync(join(repoRoot, 'tests/node/types/tsconfig.json'), join(dir, 'tsconfig.json'));
  writeFileSync(join(dir, 'usage.ts'), [
    "import type { CustomerDisabled } from 'msgevents';",
    'export const e: CustomerDisabled = {',
    "  event_name: 'CustomerDisabled', event_id: 'x', aggregate_type: 'Contact', aggregate_id: 'cus_1',",
    "  occurred_at: 'x', actor: { type: 'user', id: 'u' }, version: 2, payload: {} as CustomerDisabled['payload'],",
    '};',
    '',
  ].join('\n'));
  const { status, output } = compile(dir);
  assert.notEqual(status, 0, 'a CustomerDisabled with aggregate_type Contact type-checked');
  assert.match(output, /usage\.ts\(3,\d+\): error TS2322: Type '"Contact"' is not assignable to type '"Customer"'/);
});

test('makeEvent with a wrong payload field or enum value fails to type-check, naming it', () => {
  const dir = join(testProject(), 'ts-wrong-make');
  mkdirSync(dir, { recursive: true });
  cpSync(join(repoRoot, 'tests/node/types/tsconfig.json'), join(dir, 'tsconfig.json'));
  writeFileSync(join(dir, 'usage.ts'), [
    "import { makeEvent } from 'msgevents';",
    "const actor = { type: 'system', id: 'svc_1' } as const;",
    "makeEvent('CustomerDisabled', { payload: { customer_id: 'cus_1', status: 'disabled', reason: 'other', nickname: 'x' }, actor, version: 2 });",
    "makeEvent('CustomerDisabled', { payload: { customer_id: 'cus_1', status: 'disabled', reason: 'bored' }, actor, version: 2 });",
    '',
  ].join('\n'));
  const { status, output } = compile(dir);
  assert.notEqual(status, 0, 'the wrong makeEvent calls type-checked');
  assert.match(output, /usage\.ts\(3,\d+\): error TS2353: Object literal may only specify known properties, and 'nickname' does not exist in type 'CustomerDisabledPayload'/);
  assert.match(output, /usage\.ts\(4,\d+\): error TS2322: Type '"bored"' is not assignable to type '"contract_ended" \| "customer_request" \| "non_payment"/);
});
