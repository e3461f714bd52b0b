// Whether the compiled build in dist/ matches the TypeScript in src/. Shared by the build
// (scripts/build-dist.mjs --if-stale) and the command (bin/ledgerlink.js, in a checkout only).
// dist/BUILD is written last by a successful build; the build is fresh when no file under src/ (nor
// the build's own configuration) changed after it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const BUILD_STAMP = join('dist', 'BUILD');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-dist.mjs'];

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  // A directory's own mtime moves when a file in it is added, removed or renamed.
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newestChange(child) : statSync(child).mtimeMs);
  }
  return latest;
}

/** True when dist/ holds a complete build at least as new as every source it was built from. */
export function distIsFresh(root) {
  const stamp = join(root, BUILD_STAMP);
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  for (const input of INPUTS) {
    const path = join(root, input);
    if (existsSync(path) && newestChange(path) > built) return false;
  }
  return true;
}
