/**
 * The jobs app-test harness: a real AinApplication on a temporary lmdb store, driven through
 * CheckTx, FinalizeBlock and Commit with signed txs, with block time under the test's control and
 * the money invariants asserted after every block:
 * - the total supply never changes, but for the block rewards the distribution module mints;
 * - the jobs module account's balance = `/jobs/escrow_total` = the sum of every request's escrow;
 * - every live request has exactly one deadline entry, and a final one none and an empty escrow.
 */
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import type { DistributionKeeper } from '../../modules/distribution/keeper.ts';
import type { ComputeKeeper } from '../../modules/compute/keeper.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  CheckTxType,
  type ExecTxResult,
  RequestFinalizeBlock,
  RequestInitChain,
  type ResponseFinalizeBlock,
} from 'cosmjs-types/tendermint/abci/types';
import { expect } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { addGenesisAccount, defaultAppState } from '../../app/genesis.ts';
import {
  QueryJobRequest,
  QueryJobResponse,
  QueryNodeRequest,
  QueryNodeResponse,
  QueryRequestRequest,
  QueryRequestResponse,
  QueryRequestsRequest,
  QueryRequestsResponse,
  QueryStatsRequest,
  QueryStatsResponse,
} from '../../proto/gen/ain/jobs/v1/query.ts';
import {
  MsgAcceptJob,
  MsgAcceptResult,
  MsgApplyJob,
  MsgApproveNode,
  MsgChallenge,
  MsgDropNode,
  MsgRank,
  MsgRegisterJob,
  MsgRequestJob,
  MsgResolveChallenge,
  MsgRevealResult,
  MsgRevealTestData,
  MsgSubmitResult,
} from '../../proto/gen/ain/jobs/v1/tx.ts';
import { type Job, type Node, type NodeStats, type Request, RewardFunction, Role } from '../../proto/gen/ain/jobs/v1/types.ts';
import { signTx, type TestKey, testKey } from '../helpers/tx.ts';
import { moduleAddress } from '../../core/address.ts';
import { accountSequencePath } from '../../modules/auth/keys.ts';
import { resultCommitment, testDataCommitment } from '../../modules/jobs/commitment.ts';
import type { JobsParamsJson } from '../../modules/jobs/params.ts';
import { CALCULATE_ROOT_SCHEMA } from '../helpers/jobsTestdata.ts';
import { openCommittedState, type CommittedState } from '../../tree/lmdb/index.ts';

export const CHAIN_ID = 'ain-jobs-test-1';
export const GENESIS_BALANCE = 1_000_000_000n;
export const GAS = 2_000_000n;
export const FEE = (GAS * 25n) / 1000n;
export const T0 = 1_700_000_000n;
export const JOBS_ACCOUNT = moduleAddress('jobs');
export const WORKER_CODE = 'a1'.repeat(32);
export const EVALUATOR_CODE = 'e1'.repeat(32);
/** Windows of the test chain: 20 s each; challenge fee 100, least deposit 200. */
export const TEST_PARAMS: JobsParamsJson = {
  accept_window: '20',
  reveal_window: '20',
  rank_window: '20',
  acceptance_window: '20',
  resolve_window: '20',
  challenge_fee: '100',
  min_evaluator_deposit: '200',
  rate_window: '1000',
  max_approvals: '10',
  max_drops: '2',
};

/** The cast: a root admin, a sub-admin, evaluators, workers and a client. */
export const keys = {
  alice: testKey('jobs-alice'), // root admin of the job
  bob: testKey('jobs-bob'), // admin at depth 1, parent of eve and the workers
  eve: testKey('jobs-eve'), // evaluator (depth 2, under bob)
  erin: testKey('jobs-erin'), // evaluator approved by alice (depth 1)
  w1: testKey('jobs-w1'),
  w2: testKey('jobs-w2'),
  w3: testKey('jobs-w3'),
  carl: testKey('jobs-carl'), // client
  dan: testKey('jobs-dan'), // a stranger
};
const KEYS: readonly TestKey[] = Object.values(keys);
export const SUPPLY = GENESIS_BALANCE * BigInt(KEYS.length);

export const any = <T>(
  codec: { $type: string; encode(m: T): { finish(): Uint8Array }; fromPartial(m: object): T },
  message: object,
): Any => ({
  typeUrl: `/${codec.$type}`,
  value: codec.encode(codec.fromPartial(message)).finish(),
});

/** A salt per worker and request, fixed so tests can recompute commitments. */
export const saltOf = (key: TestKey, requestId: bigint): string =>
  Buffer.from(`${key.address}/${requestId}`.padEnd(32, '.')).toString('hex').slice(0, 64);

export interface JobsHarness {
  readonly app: AinApplication;
  readonly store: CommittedState;
  /** Block time of the last block. */
  now(): bigint;
  /** One block holding these txs (each signed by its key), `seconds` after the last one. */
  block(txs: ReadonlyArray<readonly [TestKey, readonly Any[]]>, seconds?: bigint): ResponseFinalizeBlock & { results: ExecTxResult[] };
  /** One tx in its own block. */
  send(key: TestKey, messages: readonly Any[], seconds?: bigint): ExecTxResult;
  /** An empty block `seconds` later; returns its block events of the jobs module. */
  advance(seconds: bigint): Array<{ type: string; attributes: Record<string, string> }>;
  balance(address: string): bigint;
  /** Balance change of a key since genesis, fees put back. */
  delta(key: TestKey): bigint;
  query<T>(method: string, request: Uint8Array, decode: (bytes: Uint8Array) => T): T;
  /** The failing query's codespace/code and log. */
  queryError(method: string, request: Uint8Array): { codespace: string; code: number; log: string };
  request(id: bigint): Request;
  liveRequests(jobId?: bigint): Request[];
  job(id: bigint): Job;
  node(jobId: bigint, key: TestKey): { node: Node | undefined; overall: NodeStats };
  stats(jobId: bigint): QueryStatsResponse;
  get(path: string): unknown;
  close(): Promise<void>;
}

/**
 * Starts the app with funded keys and the given jobs params (and other `app_state` sections, e.g.
 * `compute`); block 1 is committed at T0 + 1.
 */
export function startJobsApp(params: JobsParamsJson = TEST_PARAMS, sections: Record<string, unknown> = {}): JobsHarness {
  const dir = mkdtempSync(join(tmpdir(), 'ain-jobs-'));
  const store = openCommittedState(join(dir, 'app.lmdb'));
  const app = new AinApplication(store);
  let state = defaultAppState();
  for (const key of KEYS) state = addGenesisAccount(state, key.address, [{ denom: 'uain', amount: GENESIS_BALANCE }]);
  state = { ...state, jobs: { params }, ...sections };
  try {
    app.initChain(
      RequestInitChain.fromPartial({ chainId: CHAIN_ID, initialHeight: 1n, appStateBytes: Buffer.from(JSON.stringify(state)) }),
    );
  } catch (error) {
    void store.close().finally(() => rmSync(dir, { recursive: true, force: true }));
    throw error;
  }
  let height = 0n;
  let time = T0;
  const fees = new Map<TestKey, bigint>();
  const sequence = (key: TestKey): bigint => {
    const value = store.get(accountSequencePath(key.address));
    return typeof value === 'string' ? BigInt(value) : 0n;
  };
  const balance = (address: string) => app.keeper<BankKeeper>('bank').getBalance(store, address, 'uain');

  const checkInvariants = () => {
    // The jobs module never mints or burns: the supply moves only by the block rewards distribution mints
    // and by compute-driven supply (when a test turns it on).
    const compute = app.keeper<ComputeKeeper>('compute').epoch(store);
    expect(app.keeper<BankKeeper>('bank').getSupply(store, 'uain')).toBe(
      SUPPLY + app.keeper<DistributionKeeper>('distribution').minted(store) + compute.minted - compute.burned,
    );
    const records = store
      .list('/jobs/requests', 1_000_000)
      .filter(([path]) => path.endsWith('/record'))
      .map(([, text]) => JSON.parse(text as string) as { id: string; escrow: string; status: string; deadline: string });
    const escrowSum = records.reduce((sum, r) => sum + BigInt(r.escrow), 0n);
    const total = store.get('/jobs/escrow_total');
    expect(balance(JOBS_ACCOUNT)).toBe(escrowSum);
    expect(typeof total === 'string' ? BigInt(total) : 0n).toBe(escrowSum);
    const deadlines = store.list('/jobs/deadlines', 1_000_000).map(([path]) => path);
    const live = records.filter((r) => ['open', 'running', 'revealing', 'evaluating', 'ranked', 'challenged'].includes(r.status));
    expect(deadlines.sort()).toEqual(live.map((r) => `/jobs/deadlines/${r.deadline.padStart(20, '0')}/${r.id}`).sort());
    for (const r of records) if (!live.includes(r)) expect(r.escrow).toBe('0');
  };

  const block: JobsHarness['block'] = (txs, seconds = 1n) => {
    const before = new Map(txs.map(([key]) => [key, sequence(key)]));
    const next = new Map(before);
    const encoded = txs.map(([key, messages]) => {
      const seq = next.get(key)!;
      next.set(key, seq + 1n);
      const tx = signTx({
        key,
        messages,
        chainId: CHAIN_ID,
        accountNumber: BigInt(KEYS.indexOf(key)),
        sequence: seq,
        gasLimit: GAS,
        fee: [{ denom: 'uain', amount: FEE.toString() }],
      });
      app.checkTx({ tx, type: CheckTxType.NEW });
      return tx;
    });
    height += 1n;
    time += seconds;
    const response = app.finalizeBlock(RequestFinalizeBlock.fromPartial({ txs: encoded, height, time: { seconds: time, nanos: 0 } }));
    app.commit();
    for (const [key, seq] of before) fees.set(key, (fees.get(key) ?? 0n) + (sequence(key) - seq) * FEE);
    checkInvariants();
    return Object.assign(response, { results: response.txResults });
  };

  const query = <T>(method: string, request: Uint8Array, decode: (bytes: Uint8Array) => T): T => {
    const response = app.query({ path: `/ain.jobs.v1.Query/${method}`, data: request, height: 0n, prove: false });
    expect(response.log).toBe('');
    return decode(response.value);
  };

  block([]);
  return {
    app,
    store,
    now: () => time,
    block,
    send: (key, messages, seconds = 1n) => block([[key, messages]], seconds).results[0]!,
    advance(seconds) {
      return block([], seconds)
        .events.filter((e) => e.type.startsWith('ain.jobs.'))
        .map((e) => ({ type: e.type, attributes: Object.fromEntries(e.attributes.map((a) => [a.key, a.value])) }));
    },
    balance,
    delta: (key) => balance(key.address) - GENESIS_BALANCE + (fees.get(key) ?? 0n),
    query,
    queryError(method, request) {
      const response = app.query({ path: `/ain.jobs.v1.Query/${method}`, data: request, height: 0n, prove: false });
      return { codespace: response.codespace, code: response.code, log: response.log };
    },
    request: (id) => query('Request', QueryRequestRequest.encode({ requestId: id }).finish(), QueryRequestResponse.decode).request!,
    liveRequests: (jobId = 0n) =>
      query('Requests', QueryRequestsRequest.encode({ jobId, limit: 0, pagination: undefined }).finish(), QueryRequestsResponse.decode)
        .requests,
    job: (id) => query('Job', QueryJobRequest.encode({ jobId: id }).finish(), QueryJobResponse.decode).job!,
    node(jobId, key) {
      const answer = query('Node', QueryNodeRequest.encode({ jobId, address: key.address }).finish(), QueryNodeResponse.decode);
      return { node: answer.node, overall: answer.overall! };
    },
    stats: (jobId) => query('Stats', QueryStatsRequest.encode({ jobId }).finish(), QueryStatsResponse.decode),
    get(path) {
      const value = store.get(path);
      return typeof value === 'string' && /^[[{]/.test(value) ? JSON.parse(value) : value;
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- message builders ----

export const msg = {
  register: (key: TestKey, overrides: Partial<MsgRegisterJob> = {}) =>
    any(MsgRegisterJob, {
      signer: key.address,
      name: 'calculate root',
      schema: CALCULATE_ROOT_SCHEMA,
      workerCodeHash: WORKER_CODE,
      evaluatorCodeHash: EVALUATOR_CODE,
      runtime: 'python3',
      resources: { cpu: 1, memoryMb: 256n },
      delegation: { adminDepth: 1, maxChildren: 0 },
      ...overrides,
    }),
  apply: (key: TestKey, jobId: bigint, role: Role) => any(MsgApplyJob, { signer: key.address, jobId, role }),
  approve: (admin: TestKey, jobId: bigint, node: TestKey, role: Role) =>
    any(MsgApproveNode, { signer: admin.address, jobId, node: node.address, role }),
  drop: (admin: TestKey, jobId: bigint, node: TestKey) =>
    any(MsgDropNode, { signer: admin.address, jobId, node: node.address, reason: 'test' }),
  request: (key: TestKey, jobId: bigint, overrides: Partial<MsgRequestJob> = {}) =>
    any(MsgRequestJob, {
      signer: key.address,
      jobId,
      input: '{"y":4}',
      workerReward: '10',
      rewardFunction: RewardFunction.REWARD_FUNCTION_WINNER_TAKES_ALL,
      evaluatorReward: '10',
      evaluatorDeposit: '200',
      timeLimitSeconds: 30n,
      ...overrides,
    }),
  acceptAsEvaluator: (key: TestKey, requestId: bigint) => any(MsgAcceptJob, { signer: key.address, requestId, role: Role.ROLE_EVALUATOR }),
  join: (key: TestKey, requestId: bigint) => any(MsgAcceptJob, { signer: key.address, requestId, role: Role.ROLE_WORKER }),
  /** A commitment to `output` with the worker's fixed salt. */
  submit: (
    key: TestKey,
    requestId: bigint,
    output: string,
    commitment = resultCommitment(requestId, key.address, saltOf(key, requestId), output, ''),
  ) => any(MsgSubmitResult, { signer: key.address, requestId, commitment }),
  reveal: (key: TestKey, requestId: bigint, output: string, salt = saltOf(key, requestId)) =>
    any(MsgRevealResult, { signer: key.address, requestId, output, salt }),
  revealTestData: (key: TestKey, requestId: bigint, data: string, salt: string) =>
    any(MsgRevealTestData, { signer: key.address, requestId, data, salt }),
  rank: (key: TestKey, requestId: bigint, ranking: readonly TestKey[]) =>
    any(MsgRank, { signer: key.address, requestId, ranking: ranking.map((k) => k.address) }),
  acceptResult: (key: TestKey, requestId: bigint) => any(MsgAcceptResult, { signer: key.address, requestId }),
  challenge: (key: TestKey, requestId: bigint) => any(MsgChallenge, { signer: key.address, requestId, reason: 'ranked wrong' }),
  resolve: (key: TestKey, requestId: bigint, uphold: boolean, ranking: readonly TestKey[] = []) =>
    any(MsgResolveChallenge, { signer: key.address, requestId, uphold, ranking: ranking.map((k) => k.address) }),
};

export { resultCommitment, testDataCommitment };

/**
 * Registers the Calculate Root job (alice, delegation depth 1) and builds its tree:
 * alice -> bob (admin) -> eve (evaluator), w1, w2, w3 (workers); alice -> erin (evaluator).
 */
export function setUpCalculateRoot(h: JobsHarness): bigint {
  const { alice, bob, eve, erin, w1, w2, w3 } = keys;
  const registered = h.send(alice, [msg.register(alice)]);
  expect(registered.log).toBe('');
  const jobId = 1n;
  const applied = h.block([
    [bob, [msg.apply(bob, jobId, Role.ROLE_ADMIN)]],
    [eve, [msg.apply(eve, jobId, Role.ROLE_EVALUATOR)]],
    [erin, [msg.apply(erin, jobId, Role.ROLE_EVALUATOR)]],
    [w1, [msg.apply(w1, jobId, Role.ROLE_WORKER)]],
    [w2, [msg.apply(w2, jobId, Role.ROLE_WORKER)]],
    [w3, [msg.apply(w3, jobId, Role.ROLE_WORKER)]],
  ]);
  expect(applied.results.map((r) => r.log)).toEqual(['', '', '', '', '', '']);
  const approved = h.block([
    [alice, [msg.approve(alice, jobId, bob, Role.ROLE_ADMIN), msg.approve(alice, jobId, erin, Role.ROLE_EVALUATOR)]],
    [
      bob,
      [
        msg.approve(bob, jobId, eve, Role.ROLE_EVALUATOR),
        msg.approve(bob, jobId, w1, Role.ROLE_WORKER),
        msg.approve(bob, jobId, w2, Role.ROLE_WORKER),
        msg.approve(bob, jobId, w3, Role.ROLE_WORKER),
      ],
    ],
  ]);
  expect(approved.results.map((r) => r.log)).toEqual(['', '']);
  return jobId;
}

/** Events of a tx result (or block) as `{type, attributes}` records, `msg_index` left out. */
export function eventsOf(events: ReadonlyArray<{ type: string; attributes: ReadonlyArray<{ key: string; value: string }> }>, type: string) {
  return events
    .filter((e) => e.type === type)
    .map((e) => Object.fromEntries(e.attributes.filter((a) => a.key !== 'msg_index').map((a) => [a.key, a.value])));
}
