/**
 * A contract's claims past 1000 through the whole app, in process (the jobs harness: real
 * AinApplication, lmdb, signed txs): the client claims seqs 1..1001 and a few far apart; the
 * ContractClaims query walked by `next_key` (forward and reverse, over ABCI, REST and `aind query
 * channels contract-claims`) reaches every claim once in seq order, and the Contract query embeds the
 * lowest 1000 seqs in order (seq labels sort as text in the state tree: "10" before "2"). The
 * executor's ContractDesk, which served all but one of the calls, disputes every claim it holds a
 * receipt for, past the lowest 1000; the state exported then validates and restarts a chain with the
 * same app hash, and a claim under a seq label the keeper never writes ("05000") is refused, as is
 * a seq index missing an entry (a contract without one, from before the index, is taken).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestInfo, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { type AppState, validateAppState } from '../../app/index.ts';
import { contractBodyHash, type StateQuerier } from '../../client/index.ts';
import { channelsAnswer } from '../../cmd/query/channels/handler.ts';
import { ContractDesk } from '../../executor/contracts.ts';
import { signContractRequest } from '../../modules/channels/index.ts';
import { channelsRestRoutes } from '../../modules/channels/rest.ts';
import type { PageRequest } from '../../proto/gen/ain/base/v1/pagination.ts';
import {
  QueryContractClaimsRequest,
  QueryContractClaimsResponse,
  QueryContractRequest,
  QueryContractResponse,
} from '../../proto/gen/ain/channels/v1/query.ts';
import { MsgAcceptContract, MsgClaimMisses, MsgDisputeMisses, MsgProposeContract } from '../../proto/gen/ain/channels/v1/tx.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import { any, CHAIN_ID, type JobsHarness, keys, startJobsApp } from './jobsHarness.fixture.ts';

const { carl, w1 } = keys;
/** A call's body, as the client sends it to the executor's gateway. */
const bodyOf = (seq: bigint) => ({ call: seq.toString() });
const DENSE = 1001;
/** Seqs far from the rest and of other lengths (a client numbers its requests as it likes). */
const SPARSE = [5000n, 123_456_789n, 2n ** 64n - 1n];
const ALL = [...Array.from({ length: DENSE }, (_, i) => BigInt(i + 1)), ...SPARSE];
/** The one call the executor did not serve: its claim stands. */
const UNSERVED = 7n;

describe('a contract with more than 1000 claims, in process', () => {
  let h: JobsHarness;
  let desk: ContractDesk;
  /** The node as a client reads it: ABCI queries answered by the app. */
  const comet: StateQuerier = {
    abciQuery: async ({ path, data }) => {
      const response = h.app.query({ path: path ?? '', data: data ?? new Uint8Array(), height: 0n, prove: false });
      return { ...response, key: new Uint8Array(), index: 0, height: Number(response.height) };
    },
    // The desk judges dispute windows by the latest block's time, as a node's status reports it.
    status: async () => ({ syncInfo: { latestBlockHeight: 0, latestBlockTime: new Date(Number(h.now()) * 1000) } }),
  } as StateQuerier;

  const query = <T>(path: string, data: Uint8Array, decode: (bytes: Uint8Array) => T): T => {
    const response = h.app.query({ path: `/ain.channels.v1.Query/${path}`, data, height: 0n, prove: false });
    expect(response.log).toBe('');
    return decode(response.value);
  };
  const claimsPage = (pagination: Partial<PageRequest>) =>
    query(
      'ContractClaims',
      QueryContractClaimsRequest.encode({
        contractId: 1n,
        pagination: { key: new Uint8Array(), offset: 0n, limit: 0n, countTotal: false, reverse: false, ...pagination },
      }).finish(),
      QueryContractClaimsResponse.decode,
    );
  /** Every claim's seq, following next_key from the first page; and how many pages it took. */
  const walk = (limit: bigint, reverse: boolean) => {
    const seqs: bigint[] = [];
    let key: Uint8Array = new Uint8Array();
    for (let pages = 1; ; pages++) {
      const page = claimsPage({ key, limit, reverse });
      for (const claim of page.claims) expect(claim.contractId).toBe(1n);
      seqs.push(...page.claims.map((c) => c.seq));
      if (page.pagination!.nextKey.length === 0) return { seqs, pages };
      key = page.pagination!.nextKey;
    }
  };

  beforeAll(async () => {
    h = startJobsApp();
    const propose = h.send(carl, [
      any(MsgProposeContract, {
        signer: carl.address,
        clientPubkey: carl.pubkey,
        executor: w1.address,
        requestsPerSecond: 10,
        gpus: 1,
        price: '1000',
        deposit: '10',
        penaltyPerMiss: '1',
        durationSeconds: 3600n,
        disputeSeconds: 3600n,
      }),
    ]);
    expect(propose.log).toBe('');
    expect(h.send(w1, [any(MsgAcceptContract, { signer: w1.address, contractId: 1n, executorPubkey: w1.pubkey })]).log).toBe('');
    const startsAt = h.now();
    const deadline = startsAt + 1n;
    const requests = ALL.map((seq) => {
      const terms = { chainId: CHAIN_ID, contractId: 1n, seq, deadline, bodyHash: contractBodyHash(bodyOf(seq)) };
      return { seq, deadline, bodyHash: terms.bodyHash, signature: signContractRequest(carl.privkey, terms) };
    });
    // The executor's gateway serves every call but one as the period starts, signing a receipt for each.
    desk = new ContractDesk({
      client: {
        cometClient: comet as never,
        chainId: CHAIN_ID,
        address: w1.address,
        signAndBroadcast: (async (messages: ReadonlyArray<{ value: MsgDisputeMisses }>) => {
          const result = h.send(
            w1,
            messages.map((m) => any(MsgDisputeMisses, m.value)),
          );
          if (result.log !== '') throw new Error(result.log);
          return result;
        }) as never,
      },
      privkey: w1.privkey,
      nowSeconds: () => startsAt,
      log: () => {},
    });
    for (const request of requests) {
      if (request.seq === UNSERVED) continue;
      const header = JSON.stringify({
        contract_id: '1',
        seq: request.seq.toString(),
        deadline: deadline.toString(),
        body_hash: Buffer.from(request.bodyHash).toString('hex'),
        signature: Buffer.from(request.signature).toString('base64'),
      });
      desk.receipt(await desk.admit(header, bodyOf(request.seq)));
    }
    h.advance(10n);
    // 100 requests a message (the most one takes), in the order the client sends them.
    for (let i = 0; i < requests.length; i += 100) {
      const batch = requests.slice(i, i + 100);
      expect(h.send(carl, [any(MsgClaimMisses, { signer: carl.address, contractId: 1n, requests: batch })]).log).toBe('');
    }
  }, 120_000);
  afterAll(async () => {
    await h.close();
  });

  it('embeds the lowest 1000 seqs in order in the Contract query, and counts them all', () => {
    const answer = query('Contract', QueryContractRequest.encode({ contractId: 1n }).finish(), QueryContractResponse.decode);
    expect(answer.contract!.claims).toBe(BigInt(ALL.length));
    expect(answer.claims.map((c) => c.seq)).toEqual(ALL.slice(0, 1000));
    expect(answer.claims[1]).toMatchObject({ contractId: 1n, seq: 2n, disputed: false });
  });

  it('reaches every claim once in seq order by next_key, forward and in reverse', () => {
    // From the contract's seq index: every page full but the last, which names no next key.
    expect(walk(1000n, false)).toEqual({ seqs: ALL, pages: 2 });
    expect(walk(97n, false)).toEqual({ seqs: ALL, pages: 11 });
    expect(walk(1000n, true)).toEqual({ seqs: [...ALL].reverse(), pages: 2 });
    expect(walk(97n, true)).toEqual({ seqs: [...ALL].reverse(), pages: 11 });
  });

  it('pages from a key and by offset, counts the total, and refuses what is no seq or no contract', () => {
    const first = claimsPage({ limit: 3n, countTotal: true });
    expect(first.claims.map((c) => c.seq)).toEqual([1n, 2n, 3n]);
    expect(first.pagination).toEqual({ nextKey: new TextEncoder().encode('4'), total: BigInt(ALL.length) });
    // A key at or after which the page starts: the seq after 1001 is 5000.
    expect(claimsPage({ key: new TextEncoder().encode('1001'), limit: 2n }).claims.map((c) => c.seq)).toEqual([1001n, 5000n]);
    expect(claimsPage({ offset: 999n, limit: 3n }).claims.map((c) => c.seq)).toEqual([1000n, 1001n, 5000n]);
    const bad = h.app.query({
      path: '/ain.channels.v1.Query/ContractClaims',
      data: QueryContractClaimsRequest.encode({
        contractId: 1n,
        pagination: { key: new TextEncoder().encode('x'), offset: 0n, limit: 0n, countTotal: false, reverse: false },
      }).finish(),
      height: 0n,
      prove: false,
    });
    expect(bad.log).toContain('pagination key "x" is not a seq');
    const none = h.app.query({
      path: '/ain.channels.v1.Query/ContractClaims',
      data: QueryContractClaimsRequest.encode({ contractId: 9n, pagination: undefined }).finish(),
      height: 0n,
      prove: false,
    });
    expect(`${none.codespace}/${none.code}`).toBe('channels/12');
  });

  it('answers the same through REST: GET /ain/channels/v1/contracts/{contract_id}/claims', async () => {
    const route = channelsRestRoutes.find((r) => r.path === '/ain/channels/v1/contracts/{contract_id}/claims')!;
    const context = {
      query: (p: string, data: Uint8Array) => h.app.query({ path: p, data, height: 0n, prove: false }),
      comet: async () => ({}),
      anyTypes: new Map(),
      appVersion: 'test',
    };
    const get = async (search: string) =>
      (await route.handler(context, { params: ['1'], searchParams: new URLSearchParams(search), body: undefined, height: undefined }))
        .body as { claims: Array<{ seq: string }>; pagination: { next_key: string | null; total: string } };
    const page = await get('pagination.limit=2&pagination.reverse=true&pagination.count_total=true');
    expect(page.claims.map((c) => c.seq)).toEqual([(2n ** 64n - 1n).toString(), '123456789']);
    expect(Buffer.from(page.pagination.next_key!, 'base64').toString()).toBe('5000');
    expect(page.pagination.total).toBe(String(ALL.length));
    const next = await get(`pagination.limit=2&pagination.reverse=true&pagination.key=${encodeURIComponent(page.pagination.next_key!)}`);
    expect(next.claims.map((c) => c.seq)).toEqual(['5000', '1001']);
  });

  it('answers `aind query channels contract-claims` page by page, as JSON with next_key in base64', async () => {
    const page = (flags: Parameters<typeof channelsAnswer>[3]) =>
      channelsAnswer(comet, 'contract-claims', ['1'], flags) as Promise<{
        claims: Array<{ contract_id: string; seq: string; request_hash: string; disputed: boolean }>;
        pagination: { next_key: string; total: string };
      }>;
    const first = await page({ limit: '2', reverse: true, countTotal: true });
    expect(first.claims.map((c) => c.seq)).toEqual([(2n ** 64n - 1n).toString(), '123456789']);
    expect(first.claims[0]).toMatchObject({ contract_id: '1', disputed: false });
    expect(first.pagination).toEqual({ next_key: Buffer.from('5000').toString('base64'), total: String(ALL.length) });
    const next = await page({ limit: '2', reverse: true, pageKey: first.pagination.next_key });
    expect(next.claims.map((c) => c.seq)).toEqual(['5000', '1001']);
    // Forward from a key, following next_key as printed: the claims from the 1000th on.
    const rest: string[] = [];
    let pageKey = Buffer.from('1000').toString('base64');
    do {
      const answer = await page({ limit: '1000', pageKey });
      rest.push(...answer.claims.map((c) => c.seq));
      pageKey = answer.pagination.next_key;
    } while (pageKey !== '');
    expect(rest).toEqual(ALL.slice(999).map(String));
    await expect(channelsAnswer(comet, 'contract-claims', ['9'], {})).rejects.toMatchObject({ codespace: 'channels', code: 12 });
  });

  it("the executor's desk disputes every claim it holds a receipt for, past the lowest 1000 seqs", async () => {
    // 1003 receipts: the most a message carries is 100, so 11 txs.
    expect(await desk.disputeOpen()).toBe(ALL.length - 1);
    const disputed: bigint[] = [];
    let key: Uint8Array = new Uint8Array();
    do {
      const page = claimsPage({ key, limit: 1000n });
      disputed.push(...page.claims.filter((c) => c.disputed).map((c) => c.seq));
      key = page.pagination!.nextKey;
    } while (key.length > 0);
    expect(disputed).toEqual(ALL.filter((seq) => seq !== UNSERVED));
    const contract = query('Contract', QueryContractRequest.encode({ contractId: 1n }).finish(), QueryContractResponse.decode).contract!;
    expect(contract).toMatchObject({ claims: BigInt(ALL.length), disputed: BigInt(ALL.length - 1) });
    // Nothing left to dispute: a second round sends no tx.
    expect(await desk.disputeOpen()).toBe(0);
  });

  it('exports a genesis that validates and restarts a chain with the same app hash; a claim under "05000" is refused', async () => {
    const { appHash } = h.block([]);
    const height = h.app.info(RequestInfo.fromPartial({})).lastBlockHeight;
    const appState = JSON.parse(JSON.stringify(h.app.exportGenesis())) as AppState & { channels: { leaves: Record<string, unknown> } };
    const exported = Object.keys(appState.channels.leaves);
    expect(exported.filter((path) => path.startsWith('/channels/claims/1/'))).toHaveLength(ALL.length);
    // The seq index the claim txs wrote, one entry per claim, goes with them.
    expect(exported.filter((path) => path.startsWith('/channels/seq_index/1/'))).toHaveLength(ALL.length);
    expect(appState.channels.leaves['/channels/seq_index_complete/1']).toBe(true);
    const start = { height: height + 1n, blockTimeSeconds: h.now(), chainId: CHAIN_ID };
    expect(() => validateAppState(appState, false, start)).not.toThrow();
    const dir = mkdtempSync(join(tmpdir(), 'ain-claims-export-'));
    let stores = 0;
    const initChain = async (state: unknown) => {
      const store = openCommittedState(join(dir, `${stores++}.lmdb`));
      try {
        return new AinApplication(store).initChain(
          RequestInitChain.fromPartial({
            chainId: CHAIN_ID,
            initialHeight: start.height,
            time: { seconds: start.blockTimeSeconds, nanos: 0 },
            appStateBytes: Buffer.from(JSON.stringify(state)),
          }),
        );
      } finally {
        await store.close();
      }
    };
    try {
      const restarted = await initChain(appState);
      expect(Buffer.from(restarted.appHash).toString('hex')).toBe(Buffer.from(appHash).toString('hex'));
      // The same claim under a label with a leading zero: counted, but no query would ever list it.
      const { '/channels/claims/1/5000': moved, ...others } = appState.channels.leaves;
      const relabelled = { ...appState, channels: { leaves: { ...others, '/channels/claims/1/05000': moved } } };
      const message =
        'genesis channels.leaves["/channels/claims/1/05000"] has seq label "05000"; expected a seq as the keeper writes it: decimal from 1 to 18446744073709551615, no leading zeros';
      expect(() => validateAppState(relabelled, false, start)).toThrow(message);
      await expect(initChain(relabelled)).rejects.toThrow(message);
      // An index missing an entry is refused; no index at all (a contract from before it) is taken.
      const { '/channels/seq_index/1/00000000000000005000': _entry, ...partial } = appState.channels.leaves;
      const missing =
        'genesis channels.leaves lacks "/channels/seq_index/1/00000000000000005000": true, the seq index entry of /channels/claims/1/5000';
      const withoutEntry = { ...appState, channels: { leaves: partial } };
      expect(() => validateAppState(withoutEntry, false, start)).toThrow(missing);
      const unindexed = Object.fromEntries(Object.entries(appState.channels.leaves).filter(([path]) => !path.includes('/seq_index')));
      const legacy = { ...appState, channels: { leaves: unindexed } };
      expect(() => validateAppState(legacy, false, start)).not.toThrow();
      expect((await initChain(legacy)).appHash).toHaveLength(32);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
