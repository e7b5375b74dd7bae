/**
 * Reads a `.cpuprofile` (from `node --cpu-prof` or bench/throughput.ts --profile-dir) and prints
 * where the time went: self time summed by package or source folder, and the top functions.
 * `node bin/run-ts.js bench/profile-summary.ts FILE.cpuprofile [--top 40]`
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The package (`pino`, `@slack/web-api`) or deskhand folder (`src/mcp`) a script URL belongs to. */
export function moduleOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  if (url.startsWith('node:')) return url.split('/')[0] as string;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope as string);
  }
  const src = /\/(src|bench|test)\/([^/]+)/.exec(url);
  if (src) return src[2]?.includes('.') ? `${src[1]}/${src[2]}` : `${src[1]}/${src[2]}/`;
  return url;
}

export function summarise(profile: CpuProfile): {
  totalMs: number;
  byModule: Array<[string, number]>;
  byFunction: Array<[string, number]>;
} {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    const name = frame.functionName || '(anonymous)';
    const isIdle = name === '(idle)';
    const module = isIdle ? '(idle)' : moduleOf(frame.url);
    byModule.set(module, (byModule.get(module) ?? 0) + us);
    const key = `${name} ${module}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const sorted = (map: Map<string, number>) =>
    [...map].map(([key, us]) => [key, us / 1000] as [string, number]).sort((a, b) => b[1] - a[1]);
  return { totalMs: totalUs / 1000, byModule: sorted(byModule), byFunction: sorted(byFunction) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '40' } },
  });
  const top = Number(values.top);
  for (const file of positionals) {
    const { totalMs, byModule, byFunction } = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    const busyMs = totalMs - (byModule.find(([name]) => name === '(idle)')?.[1] ?? 0);
    console.log(`${file}: ${Math.round(totalMs)} ms sampled, ${Math.round(busyMs)} ms busy\n`);
    console.log('self time by module (share of busy time):');
    for (const [name, ms] of byModule.slice(0, top))
      console.log(
        `  ${ms.toFixed(0).padStart(7)} ms  ${((100 * ms) / busyMs).toFixed(1).padStart(5)} %  ${name}`,
      );
    console.log('\ntop functions by self time:');
    for (const [name, ms] of byFunction.slice(0, top))
      console.log(
        `  ${ms.toFixed(0).padStart(7)} ms  ${((100 * ms) / busyMs).toFixed(1).padStart(5)} %  ${name}`,
      );
    console.log('');
  }
}
