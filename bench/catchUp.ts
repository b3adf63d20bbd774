/**
 * A node catching up (replay after a restart, block sync) executes blocks whose txs its CheckTx never
 * saw, so FinalizeBlock finds no signature in the cache. This runs the same blocks of signed sends
 * through two apps from the same genesis, in process on lmdb in temp dirs, alternating block by block:
 * the baseline verifies each signature inside FinalizeBlock, the other first hands the block to the
 * node's `beforeBlock` hook (`signatureHooks`: the worker threads verify the block from its end while
 * FinalizeBlock runs from its start). Both must give the same app hash.
 *
 * Usage: tsx bench/catchUp.ts [accounts=400] [txsPerAccount=25] [blockSize=2000] [threads=min(cores, 4)]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { SignatureWorkers, signatureHooks } from '../app/abci/signatureWorker.ts';
import type { AinApplication } from '../app/application.ts';
import { benchKeys, openBenchApp, signedSends } from './inProcess.ts';

const accounts = Number(process.argv[2] ?? 400);
const txsPerAccount = Number(process.argv[3] ?? 25);
const blockSize = Number(process.argv[4] ?? 2000);
const threads = Number(process.argv[5] ?? Math.min(availableParallelism(), 4));
const keys = benchKeys(accounts);
const dir = mkdtempSync(join(tmpdir(), 'ain-bench-catchup-'));
const serial = openBenchApp(dir, 'serial.lmdb', keys);
const ahead = openBenchApp(dir, 'ahead.lmdb', keys);
const workers = new SignatureWorkers(threads);
const { beforeBlock } = signatureHooks(ahead.app, workers);
const txs = signedSends(keys, txsPerAccount);

function finalize(app: AinApplication, height: bigint, block: Uint8Array[]): void {
  const response = app.finalizeBlock(RequestFinalizeBlock.fromPartial({ height, txs: block, time: { seconds: 1_700_000_000n + height } }));
  const failed = response.txResults.find((r) => r.code !== 0);
  if (failed) throw new Error(`deliver failed: ${failed.log}`);
  app.commit();
}

let serialMs = 0;
let aheadMs = 0;
let height = 1n;
for (let i = 0; i < txs.length; i += blockSize) {
  height++;
  // As the ABCI server reads them: views into the one request frame.
  const block = RequestFinalizeBlock.decode(
    RequestFinalizeBlock.encode(RequestFinalizeBlock.fromPartial({ txs: txs.slice(i, i + blockSize) })).finish(),
  ).txs;
  // Which app goes first alternates, so neither always runs on a warmer VM.
  const runs = [
    () => {
      const s = performance.now();
      finalize(serial.app, height, block);
      serialMs += performance.now() - s;
    },
    () => {
      const s = performance.now();
      beforeBlock(block, 'finalizeBlock');
      finalize(ahead.app, height, block);
      aheadMs += performance.now() - s;
    },
  ];
  if (height % 2n === 1n) runs.reverse();
  for (const run of runs) run();
}
if (Buffer.compare(serial.store.appHash, ahead.store.appHash) !== 0) throw new Error('the two apps disagree on the app hash');

const n = txs.length;
const perTx = (ms: number) => `${((ms * 1000) / n).toFixed(1)} µs/tx`;
console.log(
  `catch-up: ${n} signed sends never checked, blocks of ${blockSize}, ${workers.threads} worker threads (${availableParallelism()} cores)`,
);
console.log(
  `verified in FinalizeBlock (baseline):   ${serialMs.toFixed(0)} ms  ${perTx(serialMs)}  (${((n / serialMs) * 1000).toFixed(0)} tx/s)`,
);
console.log(
  `verified ahead on the workers:          ${aheadMs.toFixed(0)} ms  ${perTx(aheadMs)}  (${((n / aheadMs) * 1000).toFixed(0)} tx/s)`,
);
// The workers report their counts as they finish; let the last reports arrive.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(
  `ratio: ${(serialMs / aheadMs).toFixed(2)}x faster; signatures verified: ${serial.app.signatureCache.verifications} and ` +
    `${ahead.app.signatureCache.verifications} (the workers' and the app thread's; above ${n} where both reached one)`,
);
await workers.close();
await serial.store.close();
await ahead.store.close();
rmSync(dir, { recursive: true, force: true });
