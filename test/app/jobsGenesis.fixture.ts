/**
 * An exported genesis holding the job market mid-flight, for the genesis tests: the Calculate Root job
 * with its reputation tree, and requests left open, committed, revealing, ranked, challenged and
 * completed (results, test data, rate windows and node statistics among the leaves).
 */
import { RequestInfo } from 'cosmjs-types/tendermint/abci/types';
import { expect } from 'vitest';
import type { TestKey } from '../helpers/tx.ts';
import type { ExportedChain } from './genesisMutation.fixture.ts';
import { CHAIN_ID, keys, msg, setUpCalculateRoot, startJobsApp } from './jobsHarness.fixture.ts';

const { carl, eve, w1, w2, w3 } = keys;
const ANSWERS = new Map<TestKey, string>([
  [w1, '{"x":1.9}'],
  [w2, '{"x":2.01}'],
  [w3, '{"x":2.5}'],
]);

export async function exportJobsChain(): Promise<ExportedChain> {
  const h = startJobsApp();
  try {
    const jobId = setUpCalculateRoot(h);
    const ok = (result: { log: string }) => expect(result.log).toBe('');
    const committed = (): bigint => {
      ok(h.send(carl, [msg.request(carl, jobId)]));
      const id = BigInt(h.get('/jobs/next_request_id') as string) - 1n;
      ok(h.send(eve, [msg.acceptAsEvaluator(eve, id)]));
      for (const w of [w1, w2, w3]) ok(h.send(w, [msg.join(w, id), msg.submit(w, id, ANSWERS.get(w)!)]));
      return id;
    };
    const evaluating = (): bigint => {
      const id = committed();
      h.advance(31n);
      for (const w of [w1, w2, w3]) ok(h.send(w, [msg.reveal(w, id, ANSWERS.get(w)!)]));
      h.advance(21n);
      return id;
    };
    const done = evaluating();
    ok(h.send(eve, [msg.rank(eve, done, [w2, w1, w3])]));
    ok(h.send(carl, [msg.acceptResult(carl, done)]));
    const challenged = evaluating();
    ok(h.send(eve, [msg.rank(eve, challenged, [w3, w1, w2])]));
    ok(h.send(carl, [msg.challenge(carl, challenged)]));
    const ranked = evaluating();
    ok(h.send(eve, [msg.rank(eve, ranked, [w2, w1, w3])]));
    evaluating();
    committed();
    ok(h.send(carl, [msg.request(carl, jobId)]));
    const height = h.app.info(RequestInfo.fromPartial({})).lastBlockHeight;
    return { chainId: CHAIN_ID, seconds: h.now(), height, appState: JSON.parse(JSON.stringify(h.app.exportGenesis())) };
  } finally {
    await h.close();
  }
}
