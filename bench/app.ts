/**
 * In-process ABCI benchmark: where a signed send's time goes inside the app, without sockets or
 * CometBFT. CheckTx for every tx, then FinalizeBlock + Commit in blocks, on lmdb in a temp dir. Each
 * response is encoded as the ABCI server encodes it (`encodeResponse` of `{ [method]: result }`, no
 * copy first); FinalizeBlock's also with cosmjs-types' `Response.encode`, the baseline it replaced.
 *
 * Usage: tsx bench/app.ts [accounts=400] [txsPerAccount=25] [blockSize=2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckTxType, RequestFinalizeBlock, Response, type ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { encodeResponse } from '../app/abci/responseEncoding.ts';
import { benchKeys, openBenchApp, signedSends } from './inProcess.ts';

const accounts = Number(process.argv[2] ?? 400);
const txsPerAccount = Number(process.argv[3] ?? 25);
const blockSize = Number(process.argv[4] ?? 2000);
const keys = benchKeys(accounts);
const dir = mkdtempSync(join(tmpdir(), 'ain-bench-app-'));
const { store, app } = openBenchApp(dir, 'app.lmdb', keys);

let t = performance.now();
const txs = signedSends(keys, txsPerAccount);
console.log(`signed ${txs.length} txs in ${(performance.now() - t).toFixed(0)} ms`);

let checkEncodeMs = 0;
t = performance.now();
for (const tx of txs) {
  const r = app.checkTx({ tx, type: CheckTxType.NEW });
  if (r.code !== 0) throw new Error(`checkTx failed: ${r.log}`);
  const e = performance.now();
  encodeResponse({ checkTx: r } as Response);
  checkEncodeMs += performance.now() - e;
}
const checkMs = performance.now() - t - checkEncodeMs;
let finalizeEncodeMs = 0;
const finalized: ResponseFinalizeBlock[] = [];

let finalizeMs = 0;
let commitMs = 0;
let height = 1n;
for (let i = 0; i < txs.length; i += blockSize) {
  height++;
  const block = txs.slice(i, i + blockSize);
  let s = performance.now();
  const response = app.finalizeBlock(RequestFinalizeBlock.fromPartial({ height, txs: block, time: { seconds: 1_700_000_000n + height } }));
  finalizeMs += performance.now() - s;
  if (response.txResults.some((r) => r.code !== 0)) throw new Error(`deliver failed: ${response.txResults.find((r) => r.code !== 0)!.log}`);
  s = performance.now();
  encodeResponse({ finalizeBlock: response } as Response);
  finalizeEncodeMs += performance.now() - s;
  finalized.push(response);
  s = performance.now();
  app.commit();
  commitMs += performance.now() - s;
  // Mempool recheck of what is left, as CometBFT does after each block.
}
const n = txs.length;
const perTx = (ms: number) => `${((ms * 1000) / n).toFixed(1)} µs/tx`;
console.log(`CheckTx      ${checkMs.toFixed(0)} ms  ${perTx(checkMs)}  (${((n / checkMs) * 1000).toFixed(0)} tx/s)`);
console.log(`FinalizeBlock ${finalizeMs.toFixed(0)} ms  ${perTx(finalizeMs)}`);
console.log(`Commit       ${commitMs.toFixed(0)} ms  ${perTx(commitMs)}`);
console.log(
  `encoding     ${(checkEncodeMs + finalizeEncodeMs).toFixed(0)} ms  CheckTx's ${perTx(checkEncodeMs)}, FinalizeBlock's ${perTx(finalizeEncodeMs)}`,
);
const total = checkMs + finalizeMs + commitMs + checkEncodeMs + finalizeEncodeMs;
console.log(`total        ${total.toFixed(0)} ms  ${perTx(total)}  => app ceiling ${((n / total) * 1000).toFixed(0)} tx/s on one core`);
console.log(
  `signature verifications: ${app.signatureCache.verifications} for ${n} txs; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);
// The baseline after the measured run, so its garbage does not slow the figures above.
let cosmjsEncodeMs = 0;
for (const response of finalized) {
  const s = performance.now();
  Response.encode({ finalizeBlock: response } as Response).finish();
  cosmjsEncodeMs += performance.now() - s;
}
console.log(
  `FinalizeBlock's responses with cosmjs-types' Response.encode (the baseline): ${perTx(cosmjsEncodeMs)}, ` +
    `${(cosmjsEncodeMs / finalizeEncodeMs).toFixed(1)}x encodeResponse`,
);
await store.close();
rmSync(dir, { recursive: true, force: true });
