/**
 * Compute-driven supply through the whole app, in process: accepted job results are measured in
 * units of their job's declared resources; the first epoch seeds the moving average, a burst of work
 * mints (half to the workers by their units, half to the fee collector for the validators), an epoch
 * without work burns from its last block's fees; supply = genesis + minted - burned at every block
 * (the jobs harness checks it), and the mint queries report the compute provisions.
 */
import { QueryAnnualProvisionsRequest, QueryAnnualProvisionsResponse } from 'cosmjs-types/cosmos/mint/v1beta1/query';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { afterEach, describe, expect, it } from 'vitest';
import { DEC_ONE } from '../../core/index.ts';
import type { ComputeKeeper } from '../../modules/compute/keeper.ts';
import { QueryEpochRequest, QueryEpochResponse } from '../../proto/gen/ain/compute/v1/query.ts';
import type { TestKey } from '../helpers/tx.ts';
import { type JobsHarness, keys, msg, setUpCalculateRoot, startJobsApp, TEST_PARAMS } from './jobsHarness.fixture.ts';

const { bob, eve, w1, w2, w3, carl } = keys;
const ANSWERS = new Map<TestKey, string>([
  [w1, '{"x":1.9}'],
  [w2, '{"x":2.01}'],
  [w3, '{"x":2.5}'],
]);
const EPOCH = 40n;
const COMPUTE = {
  params: {
    epoch_blocks: EPOCH.toString(),
    average_weight: '0.5',
    growth_threshold: '0.1',
    fall_threshold: '0.2',
    mint_per_unit: '1000',
    burn_per_unit: '1000',
    max_mint_per_epoch: '1000000000',
    worker_share: '0.5',
    base_units: '10',
    units_per_cpu: '2',
    units_per_gpu: '100',
    units_per_gib: '1',
  },
};

let h: JobsHarness;
afterEach(async () => {
  await h.close();
});

const epoch = () => h.app.keeper<ComputeKeeper>('compute').epoch(h.store);
const height = () => h.store.height;

/** Runs one request of the Calculate Root job to completion: three workers ranked and accepted (or, `challenged`, the ranking upheld against by bob). */
function completeRequest(jobId: bigint, challenged = false): void {
  expect(h.send(carl, [msg.request(carl, jobId)]).log).toBe('');
  const id = BigInt(h.get('/jobs/next_request_id') as string) - 1n;
  expect(h.send(eve, [msg.acceptAsEvaluator(eve, id)]).log).toBe('');
  h.block([w1, w2, w3].map((w) => [w, [msg.join(w, id), msg.submit(w, id, ANSWERS.get(w)!)]] as const));
  h.advance(31n);
  h.block([w1, w2, w3].map((w) => [w, [msg.reveal(w, id, ANSWERS.get(w)!)]] as const));
  h.advance(21n);
  expect(h.send(eve, [msg.rank(eve, id, [w2, w1, w3])]).log).toBe('');
  if (!challenged) {
    expect(h.send(carl, [msg.acceptResult(carl, id)]).log).toBe('');
    return;
  }
  expect(h.send(carl, [msg.challenge(carl, id)]).log).toBe('');
  expect(h.send(bob, [msg.resolve(bob, id, true, [w1, w2])]).log).toBe('');
  expect(h.get(`/jobs/requests/${id}/record`)).toMatchObject({ status: 'completed', outcome: 'challenge_upheld' });
}

/** Empty blocks up to the last block of the current epoch (exclusive when `leaveLast`). */
function toEpochEnd(leaveLast = false): void {
  const last = (height() / EPOCH + 1n) * EPOCH;
  while (height() < last - (leaveLast ? 1n : 0n)) h.advance(1n);
}

describe('compute-driven supply', () => {
  it('measures accepted results, seeds the average, mints on a burst (workers and validators), burns from fees on a drop', () => {
    h = startJobsApp(TEST_PARAMS, { compute: COMPUTE });
    const jobId = setUpCalculateRoot(h);
    // The job declares 1 CPU and 256 MiB: 10 + 1 x 2 + 0 GiB = 12 units per accepted result, 3 results,
    // and as much for the evaluator whose ranking settled the request.
    const perRequest = 4n * 12n;
    completeRequest(jobId);
    expect(epoch().units).toBe(perRequest);
    expect(h.get(`/compute/workers/${w2.address}`)).toBe('12');
    expect(h.get(`/compute/workers/${eve.address}`)).toBe('12');
    toEpochEnd();
    expect(epoch()).toMatchObject({ number: 2n, units: 0n, lastUnits: perRequest, average: perRequest * DEC_ONE, minted: 0n, burned: 0n });

    // A burst: twice the work. Mint (96 - 48) x 1000; half to the three workers and the evaluator by
    // units (24 of 96 each), half to validators.
    completeRequest(jobId);
    completeRequest(jobId);
    const before = [w1, w2, w3, eve].map((w) => h.balance(w.address));
    toEpochEnd();
    const minted = (2n * perRequest - perRequest) * 1000n;
    expect(epoch()).toMatchObject({ number: 3n, lastUnits: 2n * perRequest, lastMinted: minted, minted });
    expect(epoch().average).toBe(((3n * perRequest) / 2n) * DEC_ONE);
    const paid = [w1, w2, w3, eve].map((w, i) => h.balance(w.address) - before[i]!);
    expect(paid).toEqual([6_000n, 6_000n, 6_000n, 6_000n]);
    const annual = h.app.query({
      path: '/cosmos.mint.v1beta1.Query/AnnualProvisions',
      data: QueryAnnualProvisionsRequest.encode({}).finish(),
      height: 0n,
      prove: false,
    });
    const provisions = BigInt(new TextDecoder().decode(QueryAnnualProvisionsResponse.decode(annual.value).annualProvisions)) / DEC_ONE;
    const distribution = h.store.get('/params/distribution/block_reward') as string;
    const blocksPerYear = BigInt((h.store.get('/params/distribution/blocks_per_year') as string | undefined) ?? '6311520');
    expect(provisions).toBe(BigInt(distribution) * blocksPerYear + (minted * blocksPerYear) / EPOCH);

    // No work: 0 < 72 x 0.8. Burn (72 - 0) x 1000 from the fee collector (as far as it holds).
    toEpochEnd(true);
    const send = {
      typeUrl: MsgSend.typeUrl,
      value: MsgSend.encode(
        MsgSend.fromPartial({ fromAddress: carl.address, toAddress: eve.address, amount: [{ denom: 'uain', amount: '1' }] }),
      ).finish(),
    };
    h.send(carl, [send]);
    expect(height() % EPOCH).toBe(0n);
    // This harness has no validators, so the fee collector still holds every fee paid: enough for all of it.
    const burned = ((3n * perRequest) / 2n) * 1000n;
    expect(epoch()).toMatchObject({ number: 4n, lastUnits: 0n, lastBurned: burned, burned, minted });
    const answer = h.app.query({
      path: '/ain.compute.v1.Query/Epoch',
      data: QueryEpochRequest.encode({}).finish(),
      height: 0n,
      prove: false,
    });
    expect(QueryEpochResponse.decode(answer.value).epoch).toMatchObject({
      number: 4n,
      minted: minted.toString(),
      burned: burned.toString(),
      average: '36',
    });
  });

  it('credits the resolver, not the evaluator, when an upheld challenge replaced the ranking', () => {
    h = startJobsApp(TEST_PARAMS, { compute: COMPUTE });
    completeRequest(setUpCalculateRoot(h), true);
    // Two ranked workers and bob's ranking, 12 units each; eve's overturned ranking and w3 count nothing.
    expect(epoch().units).toBe(3n * 12n);
    expect([w1, w2, bob, eve, w3].map((k) => h.get(`/compute/workers/${k.address}`))).toEqual(['12', '12', '12', undefined, undefined]);
  });
});
