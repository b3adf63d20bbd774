/**
 * A private job end to end on real processes: the regression example with its training data and its
 * test data encrypted by `aind job run --encrypt`. The storage node asks the chain before every read
 * of a private copy; the input's key is wrapped for the evaluator and each worker only once the chain
 * accepted them, and the test data's key is revealed on chain only after submission closed. The two
 * accepted workers and the evaluator compute on the data and everyone is paid as before; an approved
 * worker the request did not accept and an outsider are refused reads and cannot open what they copy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryJobRequest } from '../client/queryJobs.ts';
import { queryKey } from '../client/queryStorage.ts';
import { getBlob } from '../storage/client.ts';
import { decryptBytes, newDataKey, unwrapKey } from '../storage/crypto.ts';
import { EXAMPLES, type JobMarket, runPython, startJobMarket } from './helpers/jobMarket.ts';
import { rejectionOf } from './helpers/errorCode.ts';

const NAMES = ['alice', 'carl', 'dan', 'e1', 'w1', 'w2', 'w3'] as const;
const PARAMS = {
  accept_window: '10',
  reveal_window: '4',
  rank_window: '10',
  acceptance_window: '30',
  resolve_window: '60',
  challenge_fee: '100',
  min_evaluator_deposit: '200',
};

describe('a private regression job: encrypted training and test data, keys only for the accepted nodes', () => {
  let market: JobMarket;
  let jobId: string;
  const file = (...parts: string[]) => join(market.dir, ...parts);

  beforeAll(async () => {
    market = await startJobMarket(NAMES, PARAMS, { chainStorage: true });
    [jobId] = (await market.registerExamples(['regression'])) as [string];
    const worker = readFileSync(join(EXAMPLES, 'regression', 'worker.py'), 'utf8');
    const slow = worker.replace(/^LEARNING_RATE = 0\.1$/m, 'LEARNING_RATE = 0.01');
    expect(slow).not.toBe(worker);
    await Promise.all([
      market.startExecutor('e1', ['--jobs', 'evaluator']),
      market.startExecutor('w1', ['--jobs', 'worker']),
      market.startExecutor('w2', ['--jobs', 'worker', '--worker-code', `${jobId}=${await market.upload('w2', slow)}`]),
      market.startExecutor('w3', ['--jobs', 'worker']),
    ]);
    await market.approve([
      [BigInt(jobId), 'e1', 'evaluator'],
      [BigInt(jobId), 'w1', 'worker'],
      [BigInt(jobId), 'w2', 'worker'],
      [BigInt(jobId), 'w3', 'worker'],
    ]);
  }, 240_000);

  afterAll(async () => {
    await market?.stop();
  }, 120_000);

  it('runs on encrypted data, pays as before, and leaves the unaccepted and outsiders with nothing', async () => {
    await runPython([join(EXAMPLES, 'regression', 'make_data.py'), file('reg')]);
    const run = await market.aind(
      'job',
      'run',
      jobId,
      '--encrypt',
      '--input',
      file('reg', 'input.json'),
      '--test-data',
      file('reg', 'test_data.json'),
      '--reward',
      '20',
      '--evaluator-reward',
      '10',
      '--evaluators',
      'e1',
      '--workers',
      'w1,w2',
      '--time-limit',
      '12',
      '--storage',
      market.storage.url,
      '--from',
      'carl',
      '--output',
      'json',
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      request_id: string;
      status: string;
      worker: string;
      payouts: Array<{ recipient: string; amount: string; kind: string }>;
    };
    expect(result).toMatchObject({ status: 'completed', worker: market.address('w1') });
    expect(result.payouts).toEqual(
      expect.arrayContaining([
        { recipient: market.address('w1'), amount: '20', kind: 'worker_reward' },
        { recipient: market.address('e1'), amount: '10', kind: 'evaluator_reward' },
      ]),
    );
    const { request } = await queryJobRequest(market.admin.cometClient, BigInt(result.request_id));
    expect(request.ranking.map(market.nameOf)).toEqual(['w1', 'w2']);
    expect(request.input).toBe('');
    expect(request.testData).toBe('');
    const lines = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { event: string; readers?: string });
    expect(
      lines
        .filter((l) => l.event === 'keys_shared')
        .map((l) => l.readers)
        .join(',')
        .split(',')
        .sort(),
    ).toEqual(['e1', 'w1', 'w2'].map((n) => market.address(n)).sort());

    // Stored is ciphertext; the owner reads it, the accepted decrypt it with their wrapped keys.
    const carl = market.accounts.carl!;
    const sealed = await getBlob(market.storage.url, request.inputHash, { reader: carl });
    expect(new TextDecoder().decode(sealed.subarray(0, 7))).toBe('AINENC1');
    const w1Key = (await queryKey(market.admin.cometClient, request.inputHash, carl.address, market.address('w1'))).key!;
    const plain = await decryptBytes(sealed, unwrapKey(w1Key.wrapped, market.accounts.w1!.privkey));
    expect(JSON.parse(new TextDecoder().decode(plain))).toEqual(JSON.parse(readFileSync(file('reg', 'input.json'), 'utf8')));

    // w3 (an approved worker the request did not list) and dan (an outsider) are refused, with the chain's reason.
    for (const name of ['w3', 'dan'] as const) {
      const refused = await rejectionOf(getBlob(market.storage.url, request.inputHash, { reader: market.accounts[name]! }));
      expect(`${refused.codespace}/${refused.code}`).toBe('storage/13');
      expect(refused.message).toContain(`${market.address(name)} is not accepted on job request ${request.id}`);
      expect((await queryKey(market.admin.cometClient, request.inputHash, carl.address, market.address(name))).key).toBeUndefined();
      // What they might copy (the ciphertext, w1's wrapped key) does not open with their keys.
      expect((await rejectionOf(Promise.resolve().then(() => unwrapKey(w1Key.wrapped, market.accounts[name]!.privkey)))).code).toBe(14);
      expect((await rejectionOf(decryptBytes(sealed, newDataKey()))).code).toBe(14);
    }
    expect(market.startExecutor).toBeDefined();

    // The test key was revealed on chain only after submission closed.
    const comet = market.admin.cometClient;
    const closed = await comet.blockSearchAll({ query: `ain.jobs.v1.EventSubmissionClosed.request_id='${request.id}'` });
    const revealed = await comet.txSearchAll({ query: `ain.storage.v1.EventKeyRevealed.request_id='${request.id}'` });
    expect(closed.blocks.length).toBe(1);
    expect(revealed.txs.length).toBe(1);
    expect(revealed.txs[0]!.height).toBeGreaterThan(closed.blocks[0]!.block.header.height);
  });
});
