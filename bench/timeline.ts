/**
 * `npm run bench -- --timeline`: what each process does, 100 ms at a time, during the load. Samples
 * the CPU of the app, CometBFT and this process (the load generator) from /proc at each 100 ms
 * boundary and lines it up with the app's ABCI calls in the same 100 ms (`AbciStats.timeline`, which
 * the app writes at shutdown to the file named by AIN_ABCI_TIMELINE). This is how one block's cycle
 * in bench/README.md was measured.
 */
import { readFileSync } from 'node:fs';
import { TIMELINE_BUCKET_MS } from '../app/abci/stats.ts';
import { cpuSeconds } from './load.ts';

interface CpuRow {
  app: number;
  comet: number;
  bench: number;
}

/** CPU seconds per process per bucket (Unix ms of the bucket's start), sampled at bucket boundaries. */
export class CpuTimeline {
  readonly rows = new Map<number, CpuRow>();
  readonly #appPid: number | undefined;
  readonly #cometPid: number | undefined;
  #last: { at: number; app: number; comet: number; bench: number } | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(appPid: number | undefined, cometPid: number | undefined) {
    this.#appPid = appPid;
    this.#cometPid = cometPid;
  }

  start(): void {
    const tick = () => {
      const now = Date.now();
      const usage = process.cpuUsage();
      const sample = {
        at: now - (now % TIMELINE_BUCKET_MS),
        app: cpuSeconds(this.#appPid),
        comet: cpuSeconds(this.#cometPid),
        bench: (usage.user + usage.system) / 1e6,
      };
      const last = this.#last;
      // The sample closes the bucket before the boundary it was taken at.
      if (last !== undefined && sample.at > last.at) {
        this.rows.set(sample.at - TIMELINE_BUCKET_MS, {
          app: sample.app - last.app,
          comet: sample.comet - last.comet,
          bench: sample.bench - last.bench,
        });
      }
      this.#last = sample;
      this.#timer = setTimeout(tick, TIMELINE_BUCKET_MS - (Date.now() % TIMELINE_BUCKET_MS) + 1);
    };
    tick();
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}

type AbciRow = Record<string, { calls: number; micros: number }>;

/** Prints one row per 100 ms from `from` to `to` (Unix ms): the app's ABCI calls beside each process's CPU. */
export function printTimeline(cpu: CpuTimeline, abciTimelineFile: string, from: number, to: number): void {
  const abci = new Map<number, AbciRow>(JSON.parse(readFileSync(abciTimelineFile, 'utf8')) as Array<[number, AbciRow]>);
  const ms = (micros: number) => `${(micros / 1000).toFixed(0)} ms`;
  const cores = (seconds: number | undefined) =>
    seconds === undefined ? '  -  ' : (seconds / (TIMELINE_BUCKET_MS / 1000)).toFixed(1).padStart(5);
  console.log(
    `timeline of the ain run, ${TIMELINE_BUCKET_MS} ms rows from the first send: the ABCI calls that ended in the row ` +
      "(CheckTx count and time in the handler), and each process's CPU in cores (1.0 = one core busy)",
  );
  console.log('     t   CheckTx          |   app  comet  bench | other calls');
  const start = from - (from % TIMELINE_BUCKET_MS);
  for (let at = start; at <= to; at += TIMELINE_BUCKET_MS) {
    const calls = abci.get(at) ?? {};
    const check = calls.checkTx ?? { calls: 0, micros: 0 };
    const others = Object.entries(calls)
      .filter(([name]) => name !== 'checkTx' && !name.includes(' refused '))
      .map(([name, { calls: n, micros }]) => `${name} ${n > 1 ? `${n} in ` : ''}${ms(micros)}`)
      .join(', ');
    const row = cpu.rows.get(at);
    console.log(
      `${((at - start) / 1000).toFixed(1).padStart(6)}  ${String(check.calls).padStart(5)} in ${ms(check.micros).padStart(6)}  |` +
        ` ${cores(row?.app)}  ${cores(row?.comet)}  ${cores(row?.bench)} | ${others}`,
    );
  }
}
