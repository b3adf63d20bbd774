/**
 * `npm run chaos -- --rounds N`: a 4-validator localnet with an executor and Big Storage under a steady
 * signed load of sends, state writes and function calls at half the measured peak; each round a random
 * fault (kill -9 of a validator's app, its CometBFT, both, the executor, storage; SIGSTOP of a validator
 * for 5-30 s), its restart, and checks from the chain alone (bench/chaosChecks.ts). Prints a table of
 * faults, recovery times and checks; exits 1 when a check fails.
 *
 * Usage: tsx bench/chaos.ts --rounds 10 [--seed S] [--rate TX_PER_S] [--call-rate CALLS_PER_S]
 *   [--pause-ms 5000-30000] [--down-ms 2000-10000] [--steady-ms 5000] [--max-block-gap 20]
 */
import { parseArgs } from 'node:util';
import { chaosSummary, chaosTable, checksTable, failedChecks, runChaos } from './chaosRun.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    seed: { type: 'string' },
    rate: { type: 'string' },
    'call-rate': { type: 'string', default: '1' },
    'pause-ms': { type: 'string', default: '5000-30000' },
    'down-ms': { type: 'string', default: '2000-10000' },
    'steady-ms': { type: 'string', default: '5000' },
    'max-block-gap': { type: 'string', default: '20' },
  },
});
const number = (name: string, value: string | undefined, min: number): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}`);
  return n;
};
const range = (name: string, value: string): [number, number] => {
  const [lo, hi] = value.split('-').map(Number);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo! < 0 || hi! < lo!) throw new Error(`--${name} must be MIN-MAX in ms`);
  return [lo!, hi!];
};
const rate = number('rate', values.rate, 1);
const seed = number('seed', values.seed, 0);
const rounds = number('rounds', values.rounds, 1)!;
const pauseMs = range('pause-ms', values['pause-ms']!);
const downMs = range('down-ms', values['down-ms']!);
console.log(
  `bench/chaos: ${rounds} rounds on a 4-validator localnet (timeout_commit 500ms), SIGSTOP ${pauseMs[0] / 1000}-${pauseMs[1] / 1000} s, ` +
    `kills down ${downMs[0] / 1000}-${downMs[1] / 1000} s, ${values['steady-ms']} ms steady load before each fault`,
);
const report = await runChaos({
  rounds,
  ...(seed === undefined ? {} : { seed }),
  ...(rate === undefined ? {} : { rate }),
  callRate: number('call-rate', values['call-rate'], 0.01)!,
  pauseMs,
  downMs,
  steadyMs: number('steady-ms', values['steady-ms'], 0)!,
  maxBlockGapSeconds: number('max-block-gap', values['max-block-gap'], 1)!,
  log: (line) => console.log(line),
  onRound: (r) =>
    console.log(
      `  round ${r.round}: ${r.fault} ${r.target} ${r.faultSeconds.toFixed(1)} s, recovered in ${r.recoverySeconds.toFixed(1)} s at height ${r.height}: ` +
        r.checks.map((c) => `${c.name} ${c.ok ? 'ok' : `FAIL (${c.detail})`}`).join(', '),
    ),
});
const l = report.load;
console.log(
  `\nseed ${report.seed}; peak ${report.peak.toFixed(0)} tx/s, load ${report.rate} tx/s of sends and writes and ${report.callRate} call/s; ` +
    `${(report.seconds / 60).toFixed(1)} min\nload: ${l.offered} txs offered, ${l.accepted} accepted, ${l.refused} refused (${l.resyncs} sequence resyncs), ` +
    `${l.lost} unanswered, ${l.committed} committed and acknowledged`,
);
const t = report.totals;
console.log(
  `checked: ${t.heights} heights on 4 nodes, ${t.ackedTxs} acknowledged txs on 4 nodes, ${t.calls} function calls ` +
    `(${Object.entries(report.callOutcomes)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')})`,
);
console.log(`\n${chaosTable(report.rounds)}\n\n${chaosSummary(report.rounds)}\n\nafter the load stopped:\n${checksTable(report.final)}`);
console.log(`\n${report.ok ? 'OK' : `FAILED: ${failedChecks(report).join(', ') || `${report.pendingCalls} calls pending`}`}`);
if (!report.ok) process.exitCode = 1;
