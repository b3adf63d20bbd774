/**
 * An exported genesis holding ainft and compute mid-flight, for the genesis tests: a collection with
 * tokens minted from a job (provenance, reproduce rule, metadata references), a composed token that
 * earned payments, an operator, an approval and a state path; re-runs settled and two still live (one
 * ranked, auto-accepted by the next blocks and judged by score, one open that expires unfinished);
 * and compute on, its second epoch holding units per worker and ending two blocks after the export
 * (on a mint, as it delivered more than the first).
 */
import { RequestInfo } from 'cosmjs-types/tendermint/abci/types';
import { expect } from 'vitest';
import { MsgCreateApp } from '../../proto/gen/ain/state/v1/tx.ts';
import {
  type AinftHarness,
  composition,
  hashOf,
  jobsMsg,
  keys,
  nftMsg,
  ok,
  runCalculateRoot,
  startAinftApp,
} from './ainftHarness.fixture.ts';
import type { ExportedChain } from './genesisMutation.fixture.ts';
import { any, CHAIN_ID, setUpCalculateRoot, TEST_PARAMS } from './jobsHarness.fixture.ts';

const { alice, bob, carl, dan, erin, eve, w1, w2, w3 } = keys;
const C = 'ainchat';
const WINNER = '{"x":2.01}';
/** Blocks per compute epoch; the export is at its second-to-last block but one. */
const EPOCH = 40n;
const COMPUTE = { params: { epoch_blocks: EPOCH.toString(), average_weight: '0.5', max_mint_per_epoch: '1000000000' } };
/** Blocks the live re-runs take to set up (`liveReruns`). */
const LIVE_BLOCKS = 8n;

/** A ranked re-run (auto-accepted at its acceptance deadline) and an open one (expires without an evaluator). */
function liveReruns(h: AinftHarness, token: string): void {
  const output = '{"x":2.03}';
  ok(h.send(dan, [nftMsg.rerun(dan, C, token)]));
  const id = BigInt(h.get('/jobs/next_request_id') as string) - 1n;
  ok(h.send(eve, [jobsMsg.acceptAsEvaluator(eve, id)]));
  for (const result of h.block([[w1, [jobsMsg.join(w1, id), jobsMsg.submit(w1, id, output)]]]).results) ok(result);
  h.advance(31n);
  ok(h.send(w1, [jobsMsg.reveal(w1, id, output)]));
  h.advance(21n);
  ok(h.send(eve, [jobsMsg.rank(eve, id, [w1])]));
  ok(h.send(dan, [nftMsg.rerun(dan, C, token)]));
}

export async function exportAinftChain(): Promise<ExportedChain> {
  const h = startAinftApp(TEST_PARAMS, { compute: COMPUTE, ainft: { params: { max_children: '8' } } });
  try {
    const height = () => h.app.info(RequestInfo.fromPartial({})).lastBlockHeight;
    setUpCalculateRoot(h);
    ok(h.send(alice, [nftMsg.createClass(alice, C, [alice, bob, carl, dan])]));
    ok(h.send(bob, [nftMsg.mint(bob, C, 'roots-data', { metadata: { data: { hash: hashOf('{"y":4}') } } })]));
    const requestId = runCalculateRoot(h, carl, [
      [w2, WINNER],
      [w1, '{"x":1.9}'],
    ]);
    ok(
      h.send(carl, [
        nftMsg.mint(carl, C, 'roots-model', {
          fromJob: requestId,
          metadata: {
            data: { ainft: { classId: C, id: 'roots-data' } },
            model: { name: 'root-guesser', epoch: 1n, platform: 'python3', weightsHash: hashOf(WINNER) },
          },
          reproduce: { scoreField: 'x', tolerance: '0.05' },
        }),
      ]),
    );
    // The first epoch (its units seed the average) ends here.
    while (height() % EPOCH !== 0n) h.advance(1n);

    runCalculateRoot(
      h,
      dan,
      [
        [w3, WINNER],
        [w2, WINNER],
      ],
      [nftMsg.rerun(dan, C, 'roots-model')],
    );
    ok(
      h.send(bob, [
        nftMsg.mint(bob, C, 'bundle', {
          metadata: { service: { ainft: { classId: C, id: 'roots-model' } } },
          composition: composition(C, 2n, [['roots-data', 3n]]),
        }),
      ]),
    );
    ok(h.send(erin, [nftMsg.pay(erin, C, 'bundle', 1_000n)]));
    ok(h.send(bob, [nftMsg.approveAll(bob, dan)]));
    ok(h.send(bob, [nftMsg.approve(bob, C, 'bundle', alice)]));
    ok(h.send(dan, [any(MsgCreateApp, { signer: dan.address, name: 'chat', admins: [dan.address], public: false })]));
    ok(h.send(dan, [nftMsg.mint(dan, C, 'svc', { metadata: { state: '/apps/chat/log' } })]));
    ok(h.send(dan, [nftMsg.transfer(dan, C, 'svc', erin.address)]));
    // The export lands two blocks before the second epoch's end; the ranked re-run settles in between.
    while ((height() + LIVE_BLOCKS) % EPOCH !== EPOCH - 2n) h.advance(1n);
    liveReruns(h, 'roots-model');
    expect(height() % EPOCH).toBe(EPOCH - 2n);
    return { chainId: CHAIN_ID, seconds: h.now(), height: height(), appState: JSON.parse(JSON.stringify(h.app.exportGenesis())) };
  } finally {
    await h.close();
  }
}
