#!/usr/bin/env node
// Compiles the hub (src/ → dist/) with tsc and tsconfig.build.json, and copies the files the code
// reads at run time from beside itself (anything under src/ that is not TypeScript, e.g. the Concur
// simulator's published samples). Run by `npm install` and `npm pack` (prepare). With --if-stale it
// builds only when dist/ is missing or older than its sources. Without TypeScript installed (a
// production install of a packed build) it says so and leaves dist/ as it is. A compile error fails
// the build, except under `npm install`/`npm ci`, where the checkout then runs its sources through tsx.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_STAMP, distIsFresh } from './dist-state.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

if (process.argv.includes('--if-stale') && distIsFresh(root)) process.exit(0);

let tsc;
try {
  tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  console.error(
    existsSync(join(root, BUILD_STAMP))
      ? 'typescript is not installed; keeping the compiled build in dist/ as it is'
      : 'typescript is not installed; the hub is not compiled (run npm install)',
  );
  process.exit(0);
}

console.error('Compiling the hub (src/ → dist/)…');
const started = performance.now();
rmSync(dist, { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  console.error('The hub did not compile; dist/ removed (bin/ledgerlink.js runs the TypeScript through tsx).');
  // `npm install` in a checkout with work in progress still installs (npm run lint reports the errors);
  // `npm pack`, `npm publish` and `npm run build` fail.
  const installing = ['install', 'ci'].includes(process.env.npm_command ?? '');
  process.exit(installing ? 0 : (result.status ?? 1));
}

function copyAssets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(path);
    else if (!entry.name.endsWith('.ts')) {
      const target = join(dist, relative(src, path));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(path, target);
    }
  }
}
copyAssets(src);
writeFileSync(join(root, BUILD_STAMP), `${new Date().toISOString()}\n`);
console.error(`Hub compiled in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
