#!/usr/bin/env node
// The `ledgerlink` command. The published package runs the compiled JavaScript in dist/ (built by
// `npm install`/`npm pack` through the prepare script). In a checkout, where src/ is beside it, the
// compiled build is used only while it matches the sources; otherwise (sources edited since, or no
// build yet) the TypeScript runs through tsx, as the tests do.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = new URL('../dist/cli/main.js', import.meta.url);
const sources = new URL('../src/cli/main.ts', import.meta.url);

async function useCompiled() {
  if (!existsSync(fileURLToPath(sources))) return true;
  const { distIsFresh } = await import(pathToFileURL(`${root}scripts/dist-state.mjs`).href);
  return distIsFresh(root);
}

if (await useCompiled()) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
}
