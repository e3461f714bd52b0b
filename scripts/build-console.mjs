#!/usr/bin/env node
// Builds the web console (console/ → console/dist) with Vite. Run by `npm install` (prepare) and,
// with --if-stale, by `npm start`: then it builds only when the bundle is missing or older than the
// console's sources. Without Vite installed (a production install of a packed build) it says so and
// leaves the bundle as it is.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const consoleDir = join(root, 'console');
const bundle = join(consoleDir, 'dist', 'index.html');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

const ifStale = process.argv.includes('--if-stale');
if (ifStale && existsSync(bundle)) {
  const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => join(consoleDir, p)).filter(existsSync);
  const sourceTime = Math.max(...sources.map(newest));
  if (statSync(bundle).mtimeMs >= sourceTime) process.exit(0);
}

let build;
try {
  ({ build } = await import('vite'));
} catch {
  console.error(
    existsSync(bundle)
      ? 'vite is not installed; keeping the console bundle as it is'
      : 'vite is not installed; the web console is not built (run npm install)',
  );
  process.exit(0);
}
console.error('Building the web console (console/ → console/dist)…');
await build({ root: consoleDir, configFile: join(consoleDir, 'vite.config.ts'), logLevel: 'warn' });
console.error('Web console built.');
