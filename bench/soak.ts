/**
 * `npm run soak -- --minutes M`: one node under signed sends at half its measured peak rate for M
 * minutes, sampled every --interval seconds (default 60): RSS of the app and of CometBFT, the app's
 * heap, open files of both, disk use of HOME/data, CometBFT's oldest kept block, block time. Prints
 * the samples and the growth checks as tables; exits 1 when a check fails (bounds: bench/soakRun.ts),
 * and 2 at once for a run too short for them (`soakPlan`: 4 samples; with pruning, about 2.5 block
 * seconds per block the node keeps, 5 min at the defaults). CometBFT's RSS ramps for its first ~7 min
 * at the node's GOGC=400 (docs/RELIABILITY.md), so the memory checks mean most from 15 min on.
 *
 * Usage: tsx bench/soak.ts --minutes 15 [--interval 60] [--rate TX_PER_S] [--accounts 100]
 *   [--min-retain-blocks 100] [--keep-recent 100] [--snapshot-interval 100] [--warmup-minutes W]
 */
import { parseArgs } from 'node:util';
import { runSoak, soakChecksTable, soakPlan, soakTable } from './soakRun.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '15' },
    interval: { type: 'string', default: '60' },
    rate: { type: 'string' },
    accounts: { type: 'string', default: '100' },
    'min-retain-blocks': { type: 'string', default: '100' },
    'keep-recent': { type: 'string', default: '100' },
    'snapshot-interval': { type: 'string', default: '100' },
    'warmup-minutes': { type: 'string' },
  },
});
const number = (name: string, value: string | undefined, min: number): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}`);
  return n;
};
const minutes = number('minutes', values.minutes, 0.1)!;
const intervalSeconds = number('interval', values.interval, 1)!;
const rate = number('rate', values.rate, 1);
const warmupMinutes = number('warmup-minutes', values['warmup-minutes'], 0);
const minRetainBlocks = number('min-retain-blocks', values['min-retain-blocks'], 0)!;
const options = {
  minutes,
  intervalSeconds,
  ...(rate === undefined ? {} : { rate }),
  ...(warmupMinutes === undefined ? {} : { warmupMinutes }),
  accounts: number('accounts', values.accounts, 2)!,
  minRetainBlocks,
  keepRecent: number('keep-recent', values['keep-recent'], 0)!,
  snapshotInterval: number('snapshot-interval', values['snapshot-interval'], 0)!,
};
try {
  soakPlan(options);
} catch (error) {
  console.error(`bench/soak: ${(error as Error).message}`);
  process.exit(2);
}

console.log(
  `bench/soak: one node on 127.0.0.1, timeout_commit 1s, ${minutes} min, a sample every ${intervalSeconds} s, ` +
    `min_retain_blocks ${minRetainBlocks}, keep_recent ${values['keep-recent']}, snapshot-interval ${values['snapshot-interval']}`,
);
const report = await runSoak({
  ...options,
  log: (line) => console.log(line),
  onSample: (s) =>
    console.log(
      `  ${(s.at / 60).toFixed(1)} min: height ${s.height} (base ${s.earliestBlock}), app RSS ${s.appRssMiB.toFixed(0)} MiB heap ${s.appHeapMiB.toFixed(0)} MiB, ` +
        `comet RSS ${s.cometRssMiB.toFixed(0)} MiB, data ${s.dataMiB.toFixed(1)} MiB`,
    ),
});
const l = report.load;
console.log(
  `\nload: ${l.sent} sends offered at ${report.rate} tx/s in ${l.seconds.toFixed(0)} s: ${l.accepted} accepted, ${l.refused} refused, ${l.lost} unanswered` +
    (l.reasons.length > 0
      ? ` (${l.reasons
          .slice(0, 3)
          .map(([r, n]) => `${n} x "${r}"`)
          .join('; ')})`
      : ''),
);
console.log(
  `\n${soakTable(report.samples)}\n\nchecks (the first ${report.warmupSamples} sample(s) are warm-up):\n${soakChecksTable(report.checks)}`,
);
console.log(`\n${report.ok ? 'OK' : 'FAILED'}: growth within bounds`);
if (!report.ok) process.exitCode = 1;
