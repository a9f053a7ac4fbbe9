// Where the tests find the package: the packed tarball installed into a temporary project, so they
// test what `npm install msgevents` gives a user.
//
// scripts/test.d/20-npm-package.sh packs and installs once and passes the project folder in
// MSGEVENTS_TEST_PROJECT. Without it (a test file run on its own), the first call packs npm/
// (after scripts/build-wasm.sh) and installs it into a fresh temporary project.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const nativeCli = join(repoRoot, 'build/native/msgevents');

let project = process.env.MSGEVENTS_TEST_PROJECT || null;

/** Packs npm/ and installs the tarball into a new temporary project; returns the project folder. */
export function packAndInstall() {
  if (!existsSync(join(repoRoot, 'npm/dist/msgevents_wasm.wasm'))) {
    throw new Error('npm/dist is not built: run scripts/build-wasm.sh first');
  }
  const dir = mkdtempSync(join(tmpdir(), 'msgevents-pkg-'));
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir, join(repoRoot, 'npm')], { encoding: 'utf8' })
    .trim().split('\n').pop();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'msgevents-test-project', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, packed)], { cwd: dir, stdio: 'pipe' });
  return dir;
}

/** The temporary project the package is installed in. */
export function testProject() {
  if (!project) project = packAndInstall();
  return project;
}

/** The installed package's folder (node_modules/msgevents). */
export function packageDir() {
  return join(testProject(), 'node_modules', 'msgevents');
}

/** The tarball the project was installed from. */
export function tarball() {
  const name = readdirSync(testProject()).find((f) => /^msgevents-.*\.tgz$/.test(f));
  return name ? join(testProject(), name) : null;
}

/** Imports the installed package the way a user does (`import ... from 'msgevents'`). */
export async function importPackage() {
  // Resolved from inside the project, through the package's own `exports` map.
  const entry = join(testProject(), 'entry.mjs');
  if (!existsSync(entry)) writeFileSync(entry, "export * from 'msgevents';\n");
  return import(pathToFileURL(entry).href);
}

/** The installed npm CLI (node_modules/.bin/msgevents). */
export function npmCli() {
  return join(testProject(), 'node_modules', '.bin', 'msgevents');
}
