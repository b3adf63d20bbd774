/**
 * The ainft module through the whole app, in process (real AinApplication, lmdb, signed txs through
 * CheckTx, FinalizeBlock and Commit): collections and the ERC-721 operations with the Cosmos x/nft
 * queries; the AINFT schema and its field-level refusals; composition (sums, missing children,
 * cycles, burns of used tokens); tokens minted from the Calculate Root job's accepted result and
 * their provenance; re-runs through the job market (reproduced by hash and by score, not
 * reproduced, unfinished); payments split down a composition; state paths that move with their
 * tokens; and a genesis export that restores the app hash. After every block the harness asserts
 * that no uain is lost (supply = the sum of all balances) and that the token indexes agree; every
 * refusal is checked to change nothing but the signer's fee.
 */
import { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import {
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryClassesRequest,
  QueryClassesResponse,
  QueryClassRequest,
  QueryClassResponse,
  QueryNFTRequest,
  QueryNFTResponse,
  QueryNFTsRequest,
  QueryNFTsResponse,
  QueryOwnerRequest,
  QueryOwnerResponse,
  QuerySupplyRequest,
  QuerySupplyResponse,
} from 'cosmjs-types/cosmos/nft/v1beta1/query';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { MsgCreateApp, MsgSetOwner, MsgSetRule, MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import { ClassInfo, Metadata } from '../../proto/gen/ain/ainft/v1/types.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';
import {
  type AinftHarness,
  composition,
  expectRefused,
  hashOf,
  jobsMsg,
  keys,
  nftMsg,
  ok,
  q,
  runCalculateRoot,
  startAinftApp,
} from './ainftHarness.fixture.ts';
import { any, CHAIN_ID, eventsOf, FEE, setUpCalculateRoot } from './jobsHarness.fixture.ts';

const { alice, bob, carl, dan, erin, w1, w2, w3 } = keys;
const C = 'ainchat';
const INPUT_HASH = hashOf('{"y":4}');
const WINNER = '{"x":2.01}';

describe('ainft module in the app, in process', () => {
  let h: AinftHarness;

  beforeEach(() => {
    h = startAinftApp();
    setUpCalculateRoot(h);
    ok(h.send(alice, [nftMsg.createClass(alice, C, [alice, bob, carl, dan])]));
  });
  afterEach(async () => {
    await h.close();
  });

  describe('collections and the ERC-721 operations', () => {
    it('mints by a minter; transfers by the owner, the approved address and an operator; answers the Cosmos NFT queries', () => {
      const minted = ok(h.send(bob, [nftMsg.mint(bob, C, 'data-1', { metadata: { data: { hash: INPUT_HASH } } })]));
      expect(eventsOf(minted.events, 'ain.ainft.v1.EventMinted')).toEqual([
        {
          class_id: C,
          id: 'data-1',
          owner: bob.address,
          minter: bob.address,
          from_job: '0',
          data_hash: INPUT_HASH,
          weights_hash: '',
          state: '',
          children: '',
        },
      ]);
      expect(minted.events.find((e) => e.type === 'ain.ainft.v1.EventMinted')!.attributes.every((a) => a.index)).toBe(true);
      ok(h.send(bob, [nftMsg.mint(bob, C, 'data-2', { owner: carl.address })]));

      const nft = h.nft('NFT', QueryNFTRequest.encode({ classId: C, id: 'data-1' }).finish(), QueryNFTResponse.decode).nft!;
      expect(nft.data!.typeUrl).toBe('/ain.ainft.v1.Metadata');
      expect(Metadata.decode(nft.data!.value).data!.hash).toBe(INPUT_HASH);
      expect(h.nft('Owner', QueryOwnerRequest.encode({ classId: C, id: 'data-2' }).finish(), QueryOwnerResponse.decode).owner).toBe(
        carl.address,
      );
      expect(h.nft('Owner', QueryOwnerRequest.encode({ classId: C, id: 'nope' }).finish(), QueryOwnerResponse.decode).owner).toBe('');
      expect(h.nft('Supply', QuerySupplyRequest.encode({ classId: C }).finish(), QuerySupplyResponse.decode).amount).toBe(2n);
      const balance = (key: typeof bob) =>
        h.nft('Balance', QueryBalanceRequest.encode({ classId: C, owner: key.address }).finish(), QueryBalanceResponse.decode).amount;
      expect([balance(bob), balance(carl)]).toEqual([1n, 1n]);
      const cls = h.nft('Class', QueryClassRequest.encode({ classId: C }).finish(), QueryClassResponse.decode).class!;
      expect(ClassInfo.decode(cls.data!.value)).toEqual({ creator: alice.address, minters: [alice, bob, carl, dan].map((k) => k.address) });
      expect(h.nft('Classes', QueryClassesRequest.encode({}).finish(), QueryClassesResponse.decode).classes.map((c) => c.id)).toEqual([C]);
      const page = h.nft(
        'NFTs',
        QueryNFTsRequest.encode({
          classId: C,
          owner: '',
          pagination: { key: new Uint8Array(), offset: 0n, limit: 1n, countTotal: true, reverse: false },
        }).finish(),
        QueryNFTsResponse.decode,
      );
      expect(page.nfts.map((n) => n.id)).toEqual(['data-1']);
      expect(page.pagination!.total).toBe(2n);
      const next = h.nft(
        'NFTs',
        QueryNFTsRequest.encode({
          classId: C,
          owner: '',
          pagination: { key: page.pagination!.nextKey, offset: 0n, limit: 1n, countTotal: false, reverse: false },
        }).finish(),
        QueryNFTsResponse.decode,
      );
      expect(next.nfts.map((n) => n.id)).toEqual(['data-2']);
      expect(h.queryFailure('/cosmos.nft.v1beta1.Query/NFTs', QueryNFTsRequest.encode({ classId: '', owner: '' }).finish()).code).toBe(
        'ainft/1',
      );

      // A stranger may not move it; the owner approves dan, who moves it to carl; the approval is cleared.
      expectRefused(h, dan, [nftMsg.transfer(dan, C, 'data-1', dan.address)], 'ainft/7', /is not the owner/);
      ok(h.send(bob, [nftMsg.approve(bob, C, 'data-1', dan)]));
      expect(h.token(C, 'data-1').approved).toBe(dan.address);
      const moved = ok(h.send(dan, [nftMsg.transfer(dan, C, 'data-1', carl.address)]));
      expect(eventsOf(moved.events, 'ain.ainft.v1.EventTransferred')).toEqual([
        { class_id: C, id: 'data-1', sender: bob.address, receiver: carl.address, by: dan.address },
      ]);
      expect(h.token(C, 'data-1')).toMatchObject({ owner: carl.address, approved: '' });
      expectRefused(h, dan, [nftMsg.transfer(dan, C, 'data-1', bob.address)], 'ainft/7');
      // An operator acts on every token of the owner until the approval for all is withdrawn.
      ok(h.send(carl, [nftMsg.approveAll(carl, erin)]));
      expect(
        h.ainft(
          'ApprovedForAll',
          q.QueryApprovedForAllRequest.encode({ owner: carl.address, operator: erin.address }).finish(),
          q.QueryApprovedForAllResponse.decode,
        ).approved,
      ).toBe(true);
      ok(h.send(erin, [nftMsg.approve(erin, C, 'data-2', w1)]));
      ok(h.send(erin, [nftMsg.revoke(erin, C, 'data-2')]));
      expect(h.token(C, 'data-2').approved).toBe('');
      ok(h.send(erin, [nftMsg.transfer(erin, C, 'data-2', bob.address)]));
      ok(h.send(carl, [nftMsg.approveAll(carl, erin, false)]));
      expectRefused(h, erin, [nftMsg.transfer(erin, C, 'data-1', erin.address)], 'ainft/7');
      const tokensOf = (key: typeof bob) =>
        h
          .ainft(
            'Tokens',
            q.QueryTokensRequest.encode({ classId: '', owner: key.address, startAfter: '', limit: 0, pagination: undefined }).finish(),
            q.QueryTokensResponse.decode,
          )
          .tokens.map((t) => t.id);
      expect([tokensOf(bob), tokensOf(carl)]).toEqual([['data-2'], ['data-1']]);
    });

    it('refuses what is not allowed, changing nothing but the fee', () => {
      expectRefused(h, erin, [nftMsg.mint(erin, C, 'x-1')], 'ainft/7', /not a minter/);
      expectRefused(h, bob, [nftMsg.createClass(bob, C)], 'ainft/4');
      expectRefused(h, bob, [nftMsg.mint(bob, 'nope', 'x-1')], 'ainft/3');
      expectRefused(h, bob, [nftMsg.setMinters(bob, C, [bob])], 'ainft/7', /creator/);
      ok(h.send(bob, [nftMsg.mint(bob, C, 'x-1')]));
      expectRefused(h, bob, [nftMsg.mint(bob, C, 'x-1')], 'ainft/6');
      expectRefused(h, bob, [nftMsg.transfer(bob, C, 'x-1', bob.address)], 'ainft/1', /already owns/);
      expectRefused(
        h,
        bob,
        [nftMsg.transfer(bob, C, 'x-1', h.app.keeper<{ moduleAddress: string }>('jobs').moduleAddress)],
        'ainft/1',
        /module account/,
      );
      expectRefused(h, bob, [nftMsg.transfer(bob, C, 'nope', carl.address)], 'ainft/5');
      expectRefused(h, dan, [nftMsg.approve(dan, C, 'x-1', dan)], 'ainft/7');
      expectRefused(h, dan, [nftMsg.burn(dan, C, 'x-1')], 'ainft/7');
      ok(h.send(alice, [nftMsg.setMinters(alice, C, [erin])]));
      ok(h.send(erin, [nftMsg.mint(erin, C, 'x-2')]));
      expectRefused(h, bob, [nftMsg.mint(bob, C, 'x-3')], 'ainft/7');
      const burnt = ok(h.send(bob, [nftMsg.burn(bob, C, 'x-1')]));
      expect(eventsOf(burnt.events, 'ain.ainft.v1.EventBurned')).toEqual([{ class_id: C, id: 'x-1', owner: bob.address, by: bob.address }]);
      expect(h.queryFailure('/ain.ainft.v1.Query/Token', q.QueryTokenRequest.encode({ classId: C, id: 'x-1' }).finish()).code).toBe(
        'ainft/5',
      );
    });
  });

  describe('the AINFT schema', () => {
    it('refuses bad metadata with the field named', () => {
      const cases: Array<[object, RegExp]> = [
        [{ data: { hash: 'abc' } }, /metadata\.data\.hash: "abc" is not a sha256 hash/],
        [{ data: { hash: INPUT_HASH, ainft: { classId: C, id: 'data-1' } } }, /metadata\.data: give a hash or an ainft, not both/],
        [{ model: { name: 'm', weightsHash: 'Z'.repeat(64) } }, /metadata\.model\.weights_hash/],
        [{ model: { name: 'm', ainft: { classId: C, id: 'm-1' } } }, /metadata\.model: give name/],
        [{ service: { api: 'a\nb' } }, /metadata\.service\.api holds a control character/],
        [{ state: '/rules/x' }, /metadata\.state: \/rules\/x is not under \/apps\/<app>/],
        [{ state: '/apps/chat/$x' }, /metadata\.state: .* label starting with '\$'/],
        [{ state: 'apps/chat/' }, /metadata\.state: .* is not canonical; write \/apps\/chat/],
      ];
      for (const [metadata, log] of cases) expectRefused(h, bob, [nftMsg.mint(bob, C, 'bad-1', { metadata })], 'ainft/2', log);
      expectRefused(
        h,
        bob,
        [nftMsg.mint(bob, C, 'bad-1', { fromJob: 1n })],
        'ainft/2',
        /metadata\.model\.weights_hash: a token minted from a job/,
      );
      expectRefused(
        h,
        bob,
        [nftMsg.mint(bob, C, 'bad-1', { metadata: { data: { ainft: { classId: C, id: 'gone' } } } })],
        'ainft/10',
        /metadata\.data\.ainft/,
      );
    });
  });

  describe('composition', () => {
    beforeEach(() => {
      for (const [key, id] of [
        [bob, 'aaa'],
        [carl, 'bbb'],
        [dan, 'ccc'],
      ] as const)
        ok(h.send(key, [nftMsg.mint(key, C, id)]));
    });

    it('refuses weights that do not sum as declared, missing children, the token itself and cycles', () => {
      expectRefused(
        h,
        alice,
        [
          nftMsg.mint(alice, C, 'ppp', {
            composition: { ownerWeight: 1n, children: [{ classId: C, id: 'aaa', weight: 2n }], totalWeight: 4n },
          }),
        ],
        'ainft/8',
        /= 3, not the declared 4/,
      );
      expectRefused(
        h,
        alice,
        [nftMsg.mint(alice, C, 'ppp', { composition: { children: [{ classId: C, id: 'aaa', weight: 0n }], totalWeight: 0n } })],
        'ainft/8',
        /weight 0/,
      );
      expectRefused(
        h,
        alice,
        [
          nftMsg.mint(alice, C, 'ppp', {
            composition: composition(C, 0n, [
              ['aaa', 1n],
              ['aaa', 1n],
            ]),
          }),
        ],
        'ainft/8',
        /listed twice/,
      );
      expectRefused(
        h,
        alice,
        [nftMsg.mint(alice, C, 'ppp', { composition: composition(C, 0n, [['zzz', 1n]]) })],
        'ainft/10',
        /children\[0\]: no token/,
      );
      expectRefused(
        h,
        alice,
        [nftMsg.mint(alice, C, 'ppp', { composition: composition(C, 0n, [['ppp', 1n]]) })],
        'ainft/9',
        /the token itself/,
      );
      // bbb is composed of aaa, ccc of bbb: aaa composed of ccc would close the loop.
      ok(h.send(carl, [nftMsg.compose(carl, C, 'bbb', composition(C, 1n, [['aaa', 1n]]))]));
      ok(h.send(dan, [nftMsg.compose(dan, C, 'ccc', composition(C, 1n, [['bbb', 1n]]))]));
      expectRefused(
        h,
        bob,
        [nftMsg.compose(bob, C, 'aaa', composition(C, 1n, [['ccc', 1n]]))],
        'ainft/9',
        /cycle: ainchat\/aaa -> ainchat\/ccc -> ainchat\/bbb -> ainchat\/aaa/,
      );
      expectRefused(h, bob, [nftMsg.compose(bob, C, 'bbb', composition(C, 1n, [['aaa', 1n]]))], 'ainft/7');
    });

    it('walks children and parents, and refuses to burn a token others compose', () => {
      ok(
        h.send(alice, [
          nftMsg.mint(alice, C, 'ppp', {
            composition: composition(C, 1n, [
              ['aaa', 2n],
              ['bbb', 3n],
            ]),
            metadata: { model: { ainft: { classId: C, id: 'ccc' } } },
          }),
        ]),
      );
      ok(h.send(alice, [nftMsg.mint(alice, C, 'top', { composition: composition(C, 0n, [['ppp', 1n]]) })]));
      const children = h.ainft(
        'Children',
        q.QueryChildrenRequest.encode({ classId: C, id: 'top' }).finish(),
        q.QueryChildrenResponse.decode,
      ).edges;
      expect(children.map((e) => [e.parent!.id, e.child!.id, e.weight, e.depth])).toEqual([
        ['top', 'ppp', 1n, 1],
        ['ppp', 'aaa', 2n, 2],
        ['ppp', 'bbb', 3n, 2],
      ]);
      const parents = h.ainft(
        'Parents',
        q.QueryParentsRequest.encode({ classId: C, id: 'ccc' }).finish(),
        q.QueryParentsResponse.decode,
      ).edges;
      expect(parents.map((e) => [e.child!.id, e.parent!.id, e.kind, e.depth])).toEqual([
        ['ccc', 'ppp', 'model', 1],
        ['ppp', 'top', 'child', 2],
      ]);
      expectRefused(h, bob, [nftMsg.burn(bob, C, 'aaa')], 'ainft/11', /composed or referred to/);
      expectRefused(h, dan, [nftMsg.burn(dan, C, 'ccc')], 'ainft/11');
      ok(h.send(alice, [nftMsg.burn(alice, C, 'top')]));
      ok(h.send(alice, [nftMsg.compose(alice, C, 'ppp', composition(C, 1n, [['bbb', 3n]]))]));
      ok(h.send(bob, [nftMsg.burn(bob, C, 'aaa')]));
    });
  });

  describe('payments', () => {
    it('splits a payment down the composition in exact integers, the remainder to each token owner', () => {
      for (const [key, id] of [
        [bob, 'data'],
        [carl, 'model'],
        [dan, 'service'],
      ] as const)
        ok(h.send(key, [nftMsg.mint(key, C, id)]));
      ok(
        h.send(alice, [
          nftMsg.mint(alice, C, 'chatbot', {
            composition: composition(C, 0n, [
              ['data', 2n],
              ['model', 5n],
              ['service', 3n],
            ]),
          }),
        ]),
      );
      const before = [alice, bob, carl, dan, erin].map((k) => h.balance(k.address));
      const paid = ok(h.send(erin, [nftMsg.pay(erin, C, 'chatbot', 1001n)]));
      const after = [alice, bob, carl, dan, erin].map((k) => h.balance(k.address));
      // 1001 * 2/10 = 200, * 5/10 = 500, * 3/10 = 300; the 1 left over stays with the chatbot's owner.
      expect(after.map((b, i) => b - before[i]!)).toEqual([1n, 200n, 500n, 300n, -1001n - FEE]);
      expect(eventsOf(paid.events, 'ain.ainft.v1.EventRoyalty').map((e) => [e.id, e.amount, e.depth])).toEqual([
        ['chatbot', '1', '0'],
        ['data', '200', '1'],
        ['model', '500', '1'],
        ['service', '300', '1'],
      ]);
      expect(eventsOf(paid.events, 'ain.ainft.v1.EventPaid')).toEqual([
        { class_id: C, id: 'chatbot', payer: erin.address, amount: '1001', kind: 'service', memo: 'thanks' },
      ]);
      expect(h.token(C, 'model').earned).toBe('500');

      // A composition two deep, with an owner's own weight: model = its owner 1 + data 1 (of 2).
      ok(h.send(carl, [nftMsg.compose(carl, C, 'model', composition(C, 1n, [['data', 1n]]))]));
      const split = h.ainft(
        'Split',
        q.QuerySplitRequest.encode({ classId: C, id: 'chatbot', amount: '999' }).finish(),
        q.QuerySplitResponse.decode,
      );
      // 999: data 199 (2/10), model 499 (5/10) -> data 249 (1/2) and carl 250, service 299; alice the rest 2.
      expect(split.shares.map((s) => [s.token!.id, s.amount, s.ownerAmount, s.depth])).toEqual([
        ['chatbot', '999', '2', 0],
        ['data', '199', '199', 1],
        ['model', '499', '250', 1],
        ['data', '249', '249', 2],
        ['service', '299', '299', 1],
      ]);
      const payouts = Object.fromEntries(split.payouts.map((p) => [p.recipient, BigInt(p.amount)]));
      expect(payouts).toEqual({ [alice.address]: 2n, [bob.address]: 448n, [carl.address]: 250n, [dan.address]: 299n });
      const balances = () => [alice, bob, carl, dan].map((k) => h.balance(k.address));
      const start = balances();
      ok(h.send(erin, [nftMsg.pay(erin, C, 'chatbot', 999n, 'licence')]));
      expect(balances().map((b, i) => b - start[i]!)).toEqual([2n, 448n, 250n, 299n]);
      // The payer may be an owner: its own part does not move.
      const danBefore = h.balance(dan.address);
      ok(h.send(dan, [nftMsg.pay(dan, C, 'chatbot', 10n, 'tip')]));
      expect(h.balance(dan.address)).toBe(danBefore - FEE - 10n + 3n);
      expectRefused(h, erin, [nftMsg.pay(erin, C, 'chatbot', 0n)], 'ainft/1', /amount must be positive/);
      expectRefused(h, erin, [nftMsg.pay(erin, C, 'chatbot', 10n ** 15n)], 'sdk/5');
    });
  });

  describe('accountable: minted from a job', () => {
    let requestId: bigint;
    beforeEach(() => {
      ok(h.send(bob, [nftMsg.mint(bob, C, 'roots-data', { metadata: { data: { hash: INPUT_HASH } } })]));
      requestId = runCalculateRoot(h, carl, [
        [w2, WINNER],
        [w1, '{"x":1.9}'],
      ]);
    });
    const modelMint = (key: typeof carl, weightsHash = hashOf(WINNER), id = 'roots-model') =>
      nftMsg.mint(key, C, id, {
        fromJob: requestId,
        metadata: {
          data: { ainft: { classId: C, id: 'roots-data' } },
          model: { name: 'root-guesser', epoch: 1n, platform: 'python3', weightsHash },
        },
        reproduce: { scoreField: 'x', tolerance: '0.05' },
      });

    it("records the job, the accepted worker, the code hashes and the input hashes, and refuses someone else's result", () => {
      expectRefused(h, dan, [modelMint(dan)], 'ainft/7', /only its client may mint its result/);
      expectRefused(h, carl, [modelMint(carl, hashOf('{"x":1.9}'))], 'ainft/13', /is not the hash of request \d+'s accepted result/);
      ok(h.send(carl, [modelMint(carl)]));
      expectRefused(h, carl, [modelMint(carl, hashOf(WINNER), 'again')], 'ainft/14');
      expect(h.token(C, 'roots-model').provenance).toEqual({
        jobId: 1n,
        requestId,
        client: carl.address,
        worker: w2.address,
        evaluator: keys.eve.address,
        workerCodeHash: 'a1'.repeat(32),
        evaluatorCodeHash: 'e1'.repeat(32),
        inputHashes: [INPUT_HASH],
        resultHash: hashOf(WINNER),
        settledAt: h.request(requestId).settledAt,
      });
      const steps = h.ainft(
        'Provenance',
        q.QueryProvenanceRequest.encode({ classId: C, id: 'roots-model' }).finish(),
        q.QueryProvenanceResponse.decode,
      ).steps;
      expect(
        steps.map((s) => [s.token!.id, s.via, s.job?.requestId ?? 0n, s.inputs.map((i) => [i.hash, i.tokens.map((t) => t.id)])]),
      ).toEqual([
        ['roots-model', 'self', requestId, [[INPUT_HASH, ['roots-data']]]],
        ['roots-data', 'input', 0n, []],
      ]);
      // A request still running is no result to mint.
      ok(h.send(carl, [jobsMsg.request(carl, 1n)]));
      const open = BigInt(h.get('/jobs/next_request_id') as string) - 1n;
      expectRefused(
        h,
        carl,
        [nftMsg.mint(carl, C, 'early', { fromJob: open, metadata: { model: { weightsHash: hashOf(WINNER) } } })],
        'ainft/12',
        /is open, not completed/,
      );
    });

    it('re-runs through the job market and counts both outcomes; requests of clients keep their records as they were', () => {
      ok(h.send(carl, [modelMint(carl)]));
      const rerun = (outputs: ReadonlyArray<readonly [typeof w1, string]>) =>
        runCalculateRoot(h, dan, outputs, [nftMsg.rerun(dan, C, 'roots-model')]);
      const byHash = rerun([[w3, WINNER]]);
      const record = h.get(`/jobs/requests/${byHash}/record`) as { origin?: string; client: string };
      expect(record).toMatchObject({ origin: 'ainft', client: dan.address });
      expect((h.get(`/jobs/requests/${requestId}/record`) as { origin?: string }).origin).toBeUndefined();
      rerun([[w1, '{"x":2.03}']]);
      rerun([[w1, '{"x":2.5}']]);
      // Nobody evaluates this one: it expires, its escrow back to dan.
      ok(h.send(dan, [nftMsg.rerun(dan, C, 'roots-model')]));
      const expired = BigInt(h.get('/jobs/next_request_id') as string) - 1n;
      expect(h.token(C, 'roots-model').reproductions).toEqual({ reproduced: 2n, notReproduced: 1n, unfinished: 0n, pending: 1n });
      const events = h.advanceAll(21n);
      expect(eventsOf(events, 'ain.ainft.v1.EventRerunSettled')).toEqual([
        { class_id: C, id: 'roots-model', request_id: String(expired), outcome: 'unfinished', how: 'no_evaluator', result_hash: '' },
      ]);
      expect(h.token(C, 'roots-model').reproductions).toEqual({ reproduced: 2n, notReproduced: 1n, unfinished: 1n, pending: 0n });
      const reruns = h.ainft(
        'Reruns',
        q.QueryRerunsRequest.encode({ classId: C, id: 'roots-model' }).finish(),
        q.QueryRerunsResponse.decode,
      ).reruns;
      expect(reruns.map((r) => [r.status, r.how, r.score, r.originalScore])).toEqual([
        ['reproduced', 'hash', '', ''],
        ['reproduced', 'score', '2.03', '2.01'],
        ['not_reproduced', '', '2.5', '2.01'],
        ['unfinished', 'no_evaluator', '', ''],
      ]);
      expectRefused(h, dan, [nftMsg.rerun(dan, C, 'roots-data')], 'ainft/17');
      expectRefused(
        h,
        dan,
        [nftMsg.rerun(dan, C, 'roots-model', { evaluatorDeposit: '1' })],
        'jobs/14',
        /below the chain's min_evaluator_deposit/,
      );
    });
    it('counts a re-run on the token that asked for it: burnt meanwhile and minted again, the new token counts nothing', () => {
      ok(h.send(carl, [modelMint(carl)]));
      ok(h.send(dan, [nftMsg.rerun(dan, C, 'roots-model')]));
      ok(h.send(carl, [nftMsg.burn(carl, C, 'roots-model')]));
      ok(h.send(carl, [modelMint(carl)]));
      expect(eventsOf(h.advanceAll(21n), 'ain.ainft.v1.EventRerunSettled').map((e) => e.outcome)).toEqual(['unfinished']);
      expect(h.token(C, 'roots-model').reproductions).toEqual({ reproduced: 0n, notReproduced: 0n, unfinished: 0n, pending: 0n });
    });
  });

  describe('the state path', () => {
    beforeEach(() => {
      ok(h.send(dan, [any(MsgCreateApp, { signer: dan.address, name: 'chat', admins: [dan.address], public: false })]));
    });
    const owners = (path: string) => JSON.parse(h.get(`/owners${path}`) === undefined ? 'null' : JSON.stringify(h.get(`/owners${path}`)));

    it("gives the token's owner the path's owner config, moves it with the token, and refuses taken paths", () => {
      expectRefused(h, bob, [nftMsg.mint(bob, C, 'svc', { metadata: { state: '/apps/chat/log' } })], 'state/7', /branch_owner/);
      ok(h.send(dan, [nftMsg.mint(dan, C, 'svc', { metadata: { state: '/apps/chat/log' } })]));
      expect(Object.keys(owners('/apps/chat/log').owners)).toEqual([dan.address]);
      expectRefused(
        h,
        dan,
        [nftMsg.mint(dan, C, 'svc-2', { metadata: { state: '/apps/chat/log/sub' } })],
        'ainft/15',
        /holds \/apps\/chat\/log/,
      );
      expectRefused(h, dan, [nftMsg.mint(dan, C, 'svc-2', { metadata: { state: '/apps/chat' } })], 'ainft/15', /holds a path below it/);
      // The owner writes there as it likes, and leaves an owner config below for a friend.
      ok(
        h.send(dan, [
          any(MsgSetRule, {
            signer: dan.address,
            path: '/apps/chat/log',
            rule: JSON.stringify({ write: `auth.addr == '${dan.address}'` }),
          }),
        ]),
      );
      const friend = JSON.stringify({
        owners: { [dan.address]: { branch_owner: true, write_function: true, write_owner: true, write_rule: true } },
      });
      ok(h.send(dan, [any(MsgSetOwner, { signer: dan.address, path: '/apps/chat/log/friend', owner: friend })]));
      ok(h.send(dan, [nftMsg.transfer(dan, C, 'svc', erin.address)]));
      expect(Object.keys(owners('/apps/chat/log').owners)).toEqual([erin.address]);
      expect(h.get('/owners/apps/chat/log/friend')).toBeUndefined();
      // erin now sets rules there, and dan no longer can.
      ok(
        h.send(erin, [
          any(MsgSetRule, {
            signer: erin.address,
            path: '/apps/chat/log/$n',
            rule: JSON.stringify({ write: `auth.addr == '${erin.address}'` }),
          }),
        ]),
      );
      expectRefused(
        h,
        dan,
        [any(MsgSetRule, { signer: dan.address, path: '/apps/chat/log/$n', rule: JSON.stringify({ write: 'true' }) })],
        'state/7',
      );
      ok(h.send(erin, [any(MsgSetValue, { signer: erin.address, path: '/apps/chat/log/1', value: '"hello"' })]));
    });
  });

  it('exports its state as genesis leaves that restart the chain with the same app hash', async () => {
    ok(h.send(bob, [nftMsg.mint(bob, C, 'data', { metadata: { data: { hash: INPUT_HASH } } })]));
    ok(h.send(alice, [nftMsg.mint(alice, C, 'whole', { composition: composition(C, 1n, [['data', 1n]]) })]));
    const appState = h.app.exportGenesis() as { ainft: { leaves: Record<string, unknown> } };
    expect(Object.keys(appState.ainft.leaves)).toContain('/ainft/tokens/ainchat/whole');
    const info = h.app.info({ version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' });
    const dir = mkdtempSync(join(tmpdir(), 'ain-ainft-export-'));
    const store = openCommittedState(join(dir, 'b.lmdb'));
    try {
      const restarted = new AinApplication(store);
      const answer = restarted.initChain(
        RequestInitChain.fromPartial({
          chainId: CHAIN_ID,
          initialHeight: info.lastBlockHeight + 1n,
          appStateBytes: Buffer.from(JSON.stringify(appState)),
        }),
      );
      expect(Buffer.from(answer.appHash).toString('hex')).toBe(Buffer.from(info.lastBlockAppHash).toString('hex'));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
