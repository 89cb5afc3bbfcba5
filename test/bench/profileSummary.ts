// Summarises a V8 .cpuprofile (from COFFER_BENCH_CPU_PROF): where the store child's CPU time went.
//
//   node dist/test/bench/profileSummary.js <file.cpuprofile> [phases.json] [top=30]
//
// Prints self time by function and by file, and inclusive time of functions in the repository's
// own code (main/), each as a share of the sampled busy time (idle excluded). With the benchmark's
// phases.json, one summary per phase (e.g. cofferS3/largePut); profile and phase times share the
// monotonic clock.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface Phase {
  target: string;
  workload: string;
  run?: number;
  startUs: number;
  endUs: number;
}

function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const at = url.search(/\/(dist\/(main|test)|node_modules)\//);
  return at >= 0 ? url.slice(at + 1) : url.replace(/^file:\/\//, '');
}

function label(node: ProfileNode): string {
  const name = node.callFrame.functionName || '(anonymous)';
  return node.callFrame.url === '' ? name : `${name} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
}

const IDLE = new Set(['(idle)', '(program)']);

function summarise(profile: CpuProfile, top: number, window?: Phase): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.startUs || at > window.endUs)) return;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  let busy = 0;
  let idle = 0;
  for (const [id, us] of self) {
    if (IDLE.has(byId.get(id)!.callFrame.functionName)) idle += us;
    else busy += us;
  }
  const selfByFunction = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    if (IDLE.has(node.callFrame.functionName)) continue;
    selfByFunction.set(label(node), (selfByFunction.get(label(node)) ?? 0) + us);
    const file = shortUrl(node.callFrame.url);
    selfByFile.set(file, (selfByFile.get(file) ?? 0) + us);
    // Inclusive: once per distinct own-code function on the stack (recursion counted once).
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const n = byId.get(up)!;
      if (!n.callFrame.url.includes('/dist/main/')) continue;
      const l = label(n);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
  }
  const pct = (us: number): string => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const list = (title: string, m: Map<string, number>): string[] => [
    title,
    ...[...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${pct(us)}  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${k}`),
  ];
  return [
    `busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s (percentages are of busy time)`,
    ...list('Self time by function:', selfByFunction),
    ...list('Self time by file:', selfByFile),
    ...list('Inclusive time, own code (main/):', inclusive),
  ].join('\n');
}

const args = process.argv.slice(2);
const file = args[0];
if (!file) throw new Error('usage: profileSummary.js <file.cpuprofile> [phases.json] [top]');
const phasesFile = args[1]?.endsWith('.json') ? args[1] : undefined;
const top = Number(args[phasesFile ? 2 : 1] ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
if (!phasesFile) {
  process.stdout.write(`${summarise(profile, top)}\n`);
} else {
  const phases = (JSON.parse(readFileSync(phasesFile, 'utf8')) as Phase[]).filter((p) => p.target.startsWith('coffer'));
  for (const phase of phases) {
    const seconds = ((phase.endUs - phase.startUs) / 1e6).toFixed(2);
    const run = phase.run === undefined ? '' : ` run ${phase.run}`;
    process.stdout.write(`\n=== ${phase.target}/${phase.workload}${run} (${seconds} s wall) ===\n${summarise(profile, top, phase)}\n`);
  }
}
