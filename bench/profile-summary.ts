/**
 * Where a V8 CPU profile (`.cpuprofile`, e.g. the hub's from BENCH_PROFILE_DIR) spends its time:
 * self time per function and per source area (our folders, node_modules packages, Node internals),
 * the largest first. `npx tsx bench/profile-summary.ts FILE [TOP]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function area(url: string): string {
  if (url === '') return '(native / idle / gc)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) return `package ${pkg[1]}`;
  const ours = /\/src\/([^/]+(?:\/[^/]+)?)\//.exec(url);
  if (ours !== null) return `src/${ours[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

const [file, topText] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: profile-summary FILE [TOP]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const micros = profile.timeDeltas[index] ?? 0;
  const frame = byId.get(id)?.callFrame;
  if (frame === undefined) return;
  total += micros;
  const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${frame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  byArea.set(area(frame.url), (byArea.get(area(frame.url)) ?? 0) + micros);
});
const show = (title: string, entries: Map<string, number>, top: number): void => {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(1)} s sampled)`);
  for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * micros) / total).toFixed(1).padStart(5)} %  ${name}`);
};
show('self time by area', byArea, 25);
show('self time by function', byFunction, Number(topText ?? 30));
