import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadQuestions } from '../answer-quality.js';
import type { OpenLoopResult } from './open-loop.js';

const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/**
 * What the load asks: the questions of the answer-quality set, written as people ask in Slack,
 * answerable and not (so the found path and the automatic-ticket path both run, as in production),
 * each in 16 wordings (a greeting before, thanks after), so that a run of a few thousand questions
 * asks each text once: caches keyed by a question's whole text (its focus, its words) hit no more
 * often than real traffic would let them. Chatter is what deskhand's reading of a question leaves
 * out, so each wording asks the same thing.
 */
export const BENCH_QUESTIONS: readonly string[] = wordings(
  loadQuestions(fileURLToPath(new URL('../data/answer-quality.jsonl', import.meta.url))).map(
    (labelled) => labelled.question,
  ),
);

function wordings(questions: readonly string[]): string[] {
  const before = ['', 'hey team, ', 'hi! ', 'quick one: '];
  const after = ['', ' thanks!', ' thx', ' 🙏'];
  return before.flatMap((opening) =>
    after.flatMap((closing) => questions.map((question) => `${opening}${question}${closing}`)),
  );
}

export interface LoadSpec {
  url: string;
  ratePerSecond: number;
  durationMs: number;
  signingSecret: string;
  responseUrlBase: string;
  /** One response URL per request, issued by the fake Slack; otherwise `<responseUrlBase>/<trigger>`. */
  responseUrls?: string[];
  /**
   * Where in `BENCH_QUESTIONS` the askers start asking, in turn (0 by default): a run of several
   * steps goes on where the last one stopped, so no text is asked twice until all have been.
   */
  firstQuestion?: number;
  /** How many distinct askers the requests come from, in turn (500 by default). */
  askers?: number;
  /** Prefix of the askers' user ids, so separate runs do not share a rate limit. */
  askerPrefix?: string;
}

/** Runs the open-loop generator in a second process, so it never competes with the server's event loop. */
export function runLoad(spec: LoadSpec): Promise<OpenLoopResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN_TS, WORKER, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.durationMs + 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1) as string) as OpenLoopResult);
    });
  });
}
