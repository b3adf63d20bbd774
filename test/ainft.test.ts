/**
 * AINFT end to end with real processes, on the seed's first AINFT: AIN, a chatbot trained on the
 * white paper. One node (CometBFT + the app), a Big Storage server and `aind executor` child
 * processes (an evaluator that also serves functions, two workers). A data AINFT names the white
 * paper in Big Storage; a job trains the bigram model of `examples/ainft/chatbot/` on it through the
 * job market; its accepted result is minted as the model AINFT with `from_job`; the model bundled
 * into an off-chain function answers questions written under the service AINFT's state path, where
 * every exchange stays on chain; a re-run reproduces the model's hash; the three are composed into
 * the chatbot AINFT, whose payment splits to the three owners exactly. Refusals: minting someone
 * else's job result, a cycle, a transfer by a non-owner, a burn of a token others compose.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AinftClient, connectAin } from '../client/connectAin.ts';
import { TxError } from '../client/errors.ts';
import { jobsMsg } from '../client/jobsMessages.ts';
import { queryJobNodes, queryJobRequest } from '../client/queryJobs.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { addKey, REPO_ROOT } from '../home/index.ts';
import { sha256Hex } from '../modules/ainft/provenance.ts';
import type { Request } from '../proto/gen/ain/jobs/v1/types.ts';
import { RewardFunction, Role } from '../proto/gen/ain/jobs/v1/types.ts';
import { getBlob, putBlob } from '../storage/client.ts';
import { type StorageServer, startStorageServer } from '../storage/server.ts';
import { runAind } from './helpers/cli.ts';
import { type ExecutorProcess, startExecutorProcess } from './helpers/executor.ts';
import { startTestNode, type TestAccount, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';

const NAMES = ['alice', 'dora', 'carl', 'sam', 'pat', 'e1', 'w1', 'w2'] as const;
type Name = (typeof NAMES)[number];
const EXAMPLE = join(REPO_ROOT, 'examples', 'ainft', 'chatbot');
const CLASS = 'ain';
const PARAMS = {
  accept_window: '10',
  reveal_window: '3',
  rank_window: '10',
  acceptance_window: '60',
  resolve_window: '60',
  challenge_fee: '100',
  min_evaluator_deposit: '200',
};
const TERMS = { evaluatorReward: '100', evaluatorDeposit: '200', timeLimitSeconds: 5n } as const;
const STATE_PATH = '/apps/ainchat/chats';
const QUESTIONS = ['What is the role of community in the future of AI?', 'How are contributors rewarded?'];

/** Runs a python program of the example on stdin, as the sandbox would (isolated mode). */
function python(program: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('python3', ['-I', '-B', program], { maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${program}: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin!.end(input);
  });
}

describe('AINFT end to end: the seed chatbot (real node, Big Storage, executors, CLI)', () => {
  let node: TestNode;
  let storage: StorageServer;
  let dir: string;
  let home: string;
  let reader: StargateClient;
  let jobId = 0n;
  let corpusHash = '';
  let trainingRequest = 0n;
  let weightsHash = '';
  const accounts = {} as Record<Name, TestAccount>;
  const clients = {} as Record<Name, AinftClient>;
  const executors: ExecutorProcess[] = [];

  const address = (name: Name) => accounts[name].address;
  const aind = (...args: string[]) => runAind(...args, '--home', home, '--node', node.rpcUrl);
  const balance = async (name: Name) => BigInt((await reader.getBalance(address(name), 'uain')).amount);
  const request = async (id: bigint): Promise<Request> => (await queryJobRequest(clients.alice.cometClient, id)).request;
  const refusal = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof TxError) return `${error.codespace}/${error.code}: ${error.log}`;
      throw error;
    }
    throw new Error('the tx was accepted');
  };
  /** Waits for a request to be ranked, accepts it as its client, and returns it completed. */
  const acceptWhenRanked = async (client: Name, id: bigint): Promise<Request> => {
    await until(`request ${id} ranked`, async () => ((await request(id)).status === 'ranked' ? true : undefined), 90_000);
    await clients[client].signAndBroadcast([jobsMsg.acceptResult(address(client), { requestId: id })]);
    const done = await request(id);
    expect(done).toMatchObject({ status: 'completed', outcome: 'accepted' });
    return done;
  };

  beforeAll(async () => {
    node = await startTestNode({ accounts: NAMES.length, appState: (state) => ({ ...state, jobs: { params: PARAMS } }) });
    dir = mkdtempSync(join(tmpdir(), 'ain-ainft-'));
    home = join(dir, 'home');
    storage = await startStorageServer({ dir: join(dir, 'storage'), port: 0 });
    reader = await StargateClient.connect(node.rpcUrl);
    for (const [i, name] of NAMES.entries()) {
      accounts[name] = node.accounts[i]!;
      await addKey(home, name, accounts[name].mnemonic);
      clients[name] = await connectAin({
        rpcUrl: node.rpcUrl,
        signer: await DirectSecp256k1Wallet.fromKey(accounts[name].privkey, ADDRESS_PREFIX),
        broadcastPollIntervalMs: 100,
      });
    }
    // The chatbot's training job: the example's worker and evaluator programs in Big Storage.
    const upload = async (name: Name, bytes: Uint8Array) => (await putBlob(storage.url, bytes, accounts[name])).hash;
    const registered = await clients.alice.signAndBroadcast([
      jobsMsg.registerJob(address('alice'), {
        name: 'ain chatbot',
        schema: readFileSync(join(EXAMPLE, 'job_schema.proto'), 'utf8'),
        workerCodeHash: await upload('alice', readFileSync(join(EXAMPLE, 'worker.py'))),
        evaluatorCodeHash: await upload('alice', readFileSync(join(EXAMPLE, 'evaluator.py'))),
        runtime: 'python3',
        resources: { cpu: 1, memoryMb: 256n, gpus: 0, gpuMemoryMb: 0n },
        delegation: { adminDepth: 0, maxChildren: 0 },
        description: 'a bigram model of the AI Network white paper',
      }),
    ]);
    expect(registered.code).toBe(0);
    jobId = 1n;
    const start = async (name: Name, args: string[]) =>
      executors.push(await startExecutorProcess({ account: accounts[name], rpcUrl: node.rpcUrl, storageUrl: storage.url, args }));
    await Promise.all([start('e1', ['--jobs', 'evaluator']), start('w1', ['--jobs', 'worker']), start('w2', ['--jobs', 'worker'])]);
    const roles: Array<[Name, Role]> = [
      ['e1', Role.ROLE_EVALUATOR],
      ['w1', Role.ROLE_WORKER],
      ['w2', Role.ROLE_WORKER],
    ];
    await until(
      'the executors to apply',
      async () => {
        const { nodes } = await queryJobNodes(clients.alice.cometClient, jobId);
        return roles.every(([name, role]) => nodes.find((n) => n.address === address(name))?.applied.includes(role)) ? true : undefined;
      },
      120_000,
    );
    await clients.alice.signAndBroadcast(
      roles.map(([name, role]) => jobsMsg.approveNode(address('alice'), { jobId, node: address(name), role })),
    );
    for (const executor of executors)
      await until(
        `${executor.address} to see its approval`,
        async () => (/approved as (worker|evaluator)/.test(executor.stderr()) ? true : undefined),
        60_000,
      );
  }, 240_000);

  afterAll(async () => {
    for (const executor of executors) {
      if (process.env.AIN_TEST_EXECUTOR_LOG === '1') process.stderr.write(`--- executor ${executor.address}:\n${executor.stderr()}\n`);
      await executor.stop();
      executor.remove();
    }
    for (const client of Object.values(clients)) client.disconnect();
    reader?.disconnect();
    await storage?.close();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('trains the chatbot through the job market and mints its accepted result as the model AINFT, refusing anyone else', async () => {
    // The data AINFT: the white paper of the seeds in Big Storage, as the job's input.
    const corpus = JSON.stringify({ text: readFileSync(join(EXAMPLE, 'whitepaper.txt'), 'utf8'), holdout_percent: 10 });
    corpusHash = (await putBlob(storage.url, new TextEncoder().encode(corpus), accounts.dora)).hash;
    await clients.alice.ainft.createClass(CLASS, {
      name: 'AIN chatbot',
      minters: ['alice', 'dora', 'carl', 'sam'].map((n) => address(n as Name)),
    });
    await clients.dora.ainft.mint(CLASS, 'whitepaper', { metadataJson: { data: corpusHash } });

    const requested = await clients.carl.signAndBroadcast([
      jobsMsg.requestJob(address('carl'), {
        jobId,
        inputHash: corpusHash,
        workerReward: '1000',
        rewardFunction: RewardFunction.REWARD_FUNCTION_WINNER_TAKES_ALL,
        ...TERMS,
      }),
    ]);
    expect(requested.code).toBe(0);
    trainingRequest = 1n;
    const done = await acceptWhenRanked('carl', trainingRequest);
    const winner = done.results.find((r) => r.worker === done.ranking[0])!;
    expect(winner.outputHash).toMatch(/^[0-9a-f]{64}$/); // the model is over 8 KiB: revealed by its Big Storage hash
    weightsHash = winner.outputHash;
    // Both workers trained the same bytes, and so does the example run here: the model is deterministic.
    expect(done.results.map((r) => r.outputHash)).toEqual([weightsHash, weightsHash]);
    const local = JSON.stringify(JSON.parse(await python(join(EXAMPLE, 'worker.py'), corpus)));
    expect(sha256Hex(local)).toBe(weightsHash);

    const model = {
      data: { ainft: `${CLASS}/whitepaper` },
      model: { name: 'ain-bigram', epoch: 1, platform: 'python3-stdlib', weights_hash: weightsHash },
    };
    expect(await refusal(clients.dora.ainft.mint(CLASS, 'stolen', { metadataJson: model, fromJob: trainingRequest }))).toMatch(
      /^ainft\/7: from_job: request 1 is ain1\w+'s; only its client may mint its result/,
    );
    await clients.carl.ainft.mint(CLASS, 'ain-bigram', { metadataJson: model, fromJob: trainingRequest });
    const { token } = await clients.pat.ainft.token(CLASS, 'ain-bigram');
    expect(token.provenance).toMatchObject({
      jobId,
      requestId: trainingRequest,
      client: address('carl'),
      worker: done.ranking[0],
      evaluator: address('e1'),
      inputHashes: [corpusHash],
      resultHash: weightsHash,
    });
    const { steps } = await clients.pat.ainft.provenance(CLASS, 'ain-bigram');
    expect(steps.map((s) => [s.token!.id, s.via, s.inputs.map((i) => [i.hash, i.tokens.map((t) => t.id)])])).toEqual([
      ['ain-bigram', 'self', [[corpusHash, ['whitepaper']]]],
      ['whitepaper', 'input', []],
    ]);
  }, 180_000);

  it("serves the model: an off-chain function answers questions and records every exchange under the service AINFT's state path", async () => {
    const modelText = new TextDecoder().decode(await getBlob(storage.url, weightsHash));
    const modelFile = join(dir, 'model.json');
    writeFileSync(modelFile, modelText);
    const service = await new Promise<string>((resolve, reject) =>
      execFile('python3', [join(EXAMPLE, 'bundle.py'), modelFile], { maxBuffer: 16 << 20 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    );
    const serviceFile = join(dir, 'service.py');
    writeFileSync(serviceFile, service);
    const codeHash = (await putBlob(storage.url, new TextEncoder().encode(service), accounts.sam)).hash;

    await clients.sam.createApp('ainchat', { admins: [address('sam')] });
    await clients.sam.ainft.mint(CLASS, 'ain-chat', {
      metadataJson: {
        model: { ainft: `${CLASS}/ain-bigram` },
        service: { api: `${STATE_PATH}/$user/$id/question`, demo: `ain://${codeHash}` },
        state: STATE_PATH,
      },
    });
    expect(Object.keys(((await clients.sam.ref(STATE_PATH).getOwner()).value as { owners: object }).owners)).toEqual([address('sam')]);
    // The owner of the state path sets the service up there: who may ask, and the function that answers.
    const chats = clients.sam.ref(`${STATE_PATH}/$user/$id`);
    await chats.child('question').setRule({ write: 'auth.addr == $user' });
    await chats.child('answer').setRule({ write: "auth.fid == 'ain_chat'" });
    await chats.child('question').setFunction({
      function_type: 'OFFCHAIN',
      function_id: 'ain_chat',
      runtime: 'python3',
      code_hash: codeHash,
      resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 300,
      price: '10',
      output_path: `${STATE_PATH}/$user/$id/answer`,
      executors: 'any',
    });

    for (const [i, question] of QUESTIONS.entries()) {
      await clients.pat.ref(`${STATE_PATH}/${address('pat')}/${i + 1}/question`).setValue(question);
      const answer = await until(
        `the answer to question ${i + 1}`,
        async () => (await clients.pat.ref(`${STATE_PATH}/${address('pat')}/${i + 1}/answer`).get()).value ?? undefined,
        90_000,
      );
      expect(answer).toBe(JSON.parse(await python(serviceFile, JSON.stringify(question))));
    }
    // Every exchange is on chain under the token's state path.
    const recorded = (await clients.pat.ref(`${STATE_PATH}/${address('pat')}`).get()).value as Record<
      string,
      { question: string; answer: string }
    >;
    expect(Object.keys(recorded)).toEqual(['1', '2']);
    expect(recorded['1']!.question).toBe(QUESTIONS[0]);
    expect(recorded['1']!.answer.length).toBeGreaterThan(10);
  }, 180_000);

  it("re-runs the training job at the asker's cost, and the model AINFT records that it reproduced", async () => {
    const { requestId } = await clients.pat.ainft.requestRerun(CLASS, 'ain-bigram', { workerReward: '500', ...TERMS });
    expect((await request(requestId)).inputHash).toBe(corpusHash);
    await acceptWhenRanked('pat', requestId);
    const { token } = await clients.pat.ainft.token(CLASS, 'ain-bigram');
    expect(token.reproductions).toEqual({ reproduced: 1n, notReproduced: 0n, unfinished: 0n, pending: 0n });
    const { reruns } = await clients.pat.ainft.reruns(CLASS, 'ain-bigram');
    expect(reruns.map((r) => [r.requestId, r.payer, r.status, r.how, r.resultHash])).toEqual([
      [requestId, address('pat'), 'reproduced', 'hash', weightsHash],
    ]);
    // The same through the CLI.
    const cli = await runAind('query', 'ainft', 'token', CLASS, 'ain-bigram', '--node', node.rpcUrl, '--output', 'json');
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout).token.reproductions).toEqual({ reproduced: '1', not_reproduced: '0', unfinished: '0', pending: '0' });
  }, 180_000);

  it('composes data, model and service into the chatbot AINFT; a payment splits to the three owners exactly', async () => {
    await clients.alice.ainft.mint(CLASS, 'ain-chatbot', {
      children: [
        { classId: CLASS, id: 'whitepaper', weight: 2 },
        { classId: CLASS, id: 'ain-bigram', weight: 5 },
        { classId: CLASS, id: 'ain-chat', weight: 3 },
      ],
    });
    const names: Name[] = ['alice', 'dora', 'carl', 'sam', 'pat'];
    const before = await Promise.all(names.map(balance));
    const paid = await aind(
      'tx',
      'ainft',
      'pay',
      CLASS,
      'ain-chatbot',
      '1000',
      '--kind',
      'service',
      '--note',
      'a chat',
      '--from',
      'pat',
      '--gas',
      'auto',
      '--output',
      'json',
    );
    expect(paid.code, paid.stdout + paid.stderr).toBe(0);
    const tx = JSON.parse(paid.stdout) as {
      gas_wanted: string;
      events: Array<{ type: string; attributes: Array<{ key: string; value: string }> }>;
    };
    const fee = BigInt(
      tx.events
        .find((e) => e.type === 'tx' && e.attributes.some((a) => a.key === 'fee'))!
        .attributes.find((a) => a.key === 'fee')!
        .value.replace('uain', ''),
    );
    const after = await Promise.all(names.map(balance));
    expect(after.map((b, i) => b - before[i]!)).toEqual([0n, 200n, 500n, 300n, -1000n - fee]);
    expect((await clients.pat.ainft.token(CLASS, 'ain-bigram')).token.earned).toBe('500');
    // The events are indexed: a search finds the payment and each owner's royalty.
    const search = async (query: string) => (await clients.pat.cometClient.txSearchAll({ query })).txs.length;
    expect(await search(`ain.ainft.v1.EventPaid.id='ain-chatbot'`)).toBe(1);
    expect(await search(`ain.ainft.v1.EventRoyalty.owner='${address('carl')}'`)).toBe(1);
    expect(await search(`ain.ainft.v1.EventMinted.from_job='${trainingRequest}'`)).toBe(1);

    // Existing Cosmos NFT tooling reads the tokens over REST.
    const rest = async (path: string) => (await fetch(`${node.apiUrl}${path}`)).json() as Promise<Record<string, unknown>>;
    expect(await rest(`/cosmos/nft/v1beta1/owner/${CLASS}/ain-chatbot`)).toEqual({ owner: address('alice') });
    expect(await rest(`/cosmos/nft/v1beta1/supply/${CLASS}`)).toEqual({ amount: '4' });
    const nft = (await rest(`/cosmos/nft/v1beta1/nfts/${CLASS}/ain-bigram`)).nft as {
      data: { '@type': string; model: { weights_hash: string } };
    };
    expect(nft.data['@type']).toBe('/ain.ainft.v1.Metadata');
    expect(nft.data.model.weights_hash).toBe(weightsHash);
    const owned = (await rest(`/cosmos/nft/v1beta1/nfts?owner=${address('carl')}`)).nfts as Array<{ id: string }>;
    expect(owned.map((n) => n.id)).toEqual(['ain-bigram']);
  }, 120_000);

  it('refuses a cycle, a transfer by a non-owner and a burn of a token others compose; the state path moves with its token', async () => {
    const cycle = await aind(
      'tx',
      'ainft',
      'compose',
      CLASS,
      'ain-bigram',
      `${CLASS}/ain-chatbot:1`,
      '--from',
      'carl',
      '--gas',
      '400000',
      '--output',
      'json',
    );
    expect(cycle.code).toBe(1);
    expect(JSON.parse(cycle.stdout)).toMatchObject({ codespace: 'ainft', code: 9 });
    expect(JSON.parse(cycle.stdout).raw_log).toMatch(/cycle: ain\/ain-bigram -> ain\/ain-chatbot -> ain\/ain-bigram/);
    expect(await refusal(clients.pat.ainft.transfer(CLASS, 'whitepaper', address('pat')))).toMatch(/^ainft\/7: /);
    expect(await refusal(clients.dora.ainft.burn(CLASS, 'whitepaper'))).toMatch(/^ainft\/11: ain\/whitepaper is composed or referred to/);
    const { edges } = await clients.pat.ainft.parents(CLASS, 'whitepaper');
    // Its direct users, then theirs: the model refers to it as data, the service to the model, the chatbot composes all three.
    expect(edges.map((e) => [e.depth, e.child!.id, e.parent!.id, e.kind])).toEqual([
      [1, 'whitepaper', 'ain-bigram', 'data'],
      [1, 'whitepaper', 'ain-chatbot', 'child'],
      [2, 'ain-bigram', 'ain-chat', 'model'],
      [2, 'ain-bigram', 'ain-chatbot', 'child'],
      [3, 'ain-chat', 'ain-chatbot', 'child'],
    ]);

    await clients.sam.ainft.transfer(CLASS, 'ain-chat', address('pat'));
    expect(Object.keys(((await clients.pat.ref(STATE_PATH).getOwner()).value as { owners: object }).owners)).toEqual([address('pat')]);
    expect(await refusal(clients.sam.ref(`${STATE_PATH}/$user/$id/answer`).setRule({ write: 'true' }))).toMatch(/^state\/7: /);
    expect((await clients.pat.ainft.ownerOf(CLASS, 'ain-chat')).owner).toBe(address('pat'));
  }, 120_000);
});
