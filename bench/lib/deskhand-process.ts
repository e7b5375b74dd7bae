/**
 * deskhand as its own process, as `npm start` runs it, for benchmarks that measure it from outside
 * (CPU of its process tree, a CPU profile). Configured by its environment; reports its URL over IPC.
 * DESKHAND_ROOT points at another checkout to measure its code instead (a baseline).
 * IPC messages: `profile-start` / `profile-stop <file>` record a CPU profile of the main process,
 * and beside it (`.heapprofile`) a sampling profile of what it allocated.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// @ts-expect-error: a plain JavaScript module of bin/, without types
import { isBuildFresh } from '../../bin/build-stamp.js';

type Main = typeof import('../../src/main.js');
type Env = typeof import('../../src/config/env.js');

const root = resolve(process.env.DESKHAND_ROOT ?? new URL('../..', import.meta.url).pathname);
// What `npm start` runs: the compiled build when it is current, else the sources (through tsx).
const code = isBuildFresh(root) ? { dir: 'dist', ext: 'js' } : { dir: 'src', ext: 'ts' };
// A stale build makes every figure that of tsx, not of what `npm start` runs: say so where it is seen.
if (code.dir === 'src')
  process.stderr.write(
    `deskhand runs from ${root}/src through tsx: dist/ is older than src/ (npm run build)\n`,
  );
const { startDeskhand } = (await import(pathToFileURL(`${root}/${code.dir}/main.${code.ext}`).href)) as Main;
const { loadEnv } = (await import(pathToFileURL(`${root}/${code.dir}/config/env.${code.ext}`).href)) as Env;

const running = await startDeskhand(loadEnv(process.env), { host: '127.0.0.1' });
const session = new Session();

process.on('message', (message: { kind: string; file?: string }) => {
  void (async () => {
    if (message.kind === 'profile-start') {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      // Where the garbage comes from: GC is the largest single cost in the CPU profile.
      await session.post('HeapProfiler.enable');
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 16_384,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      process.send?.({ kind: 'profile-started' });
    } else if (message.kind === 'profile-stop' && message.file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(message.file, JSON.stringify(profile));
      const heap = await session.post('HeapProfiler.stopSampling');
      writeFileSync(message.file.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(heap.profile));
      session.disconnect();
      process.send?.({ kind: 'profile-stopped' });
    } else if (message.kind === 'stop') {
      await running.stop();
      process.exit(0);
    }
  })();
});
process.send?.({ kind: 'ready', url: running.url });
