/**
 * Service contracts of the channels module through the whole app, in process (the jobs harness: real
 * AinApplication, lmdb, signed txs, block time set by the test): a client proposes (the price escrowed),
 * the executor accepts (its deposit escrowed); the client claims misses with its signed requests, the
 * executor disputes the ones it answered in time with its signed receipts; after the windows the
 * settlement pays the executor the price and its deposit less the slash, the client the slash (capped
 * at the deposit); ending early refunds the unused price pro rata. The module account always holds
 * exactly `/channels/escrow_total`.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moduleAddress } from '../../core/address.ts';
import { signContractReceipt, signContractRequest } from '../../modules/channels/index.ts';
import { channelsRestRoutes } from '../../modules/channels/rest.ts';
import { ContractStatus } from '../../proto/gen/ain/channels/v1/contracts.ts';
import {
  QueryContractRequest,
  QueryContractResponse,
  QueryContractsRequest,
  QueryContractsResponse,
} from '../../proto/gen/ain/channels/v1/query.ts';
import {
  MsgAcceptContract,
  MsgClaimMisses,
  MsgDisputeMisses,
  MsgEndContract,
  MsgProposeContract,
  MsgSettleContract,
} from '../../proto/gen/ain/channels/v1/tx.ts';
import { any, CHAIN_ID, type JobsHarness, keys, startJobsApp } from './jobsHarness.fixture.ts';

const { carl, dan, w1 } = keys;
type Key = typeof carl;
const CHANNELS_ACCOUNT = moduleAddress('channels');
const codeOf = (result: { codespace: string; code: number }) => `${result.codespace}/${result.code}`;
const bodyHash = (text: string) => new Uint8Array(createHash('sha256').update(text).digest());

describe('service contracts in the app, in process', () => {
  let h: JobsHarness;
  const escrowInvariant = () =>
    expect(h.balance(CHANNELS_ACCOUNT)).toBe(BigInt((h.get('/channels/escrow_total') as string | undefined) ?? '0'));
  const contract = (id: bigint) => {
    const data = QueryContractRequest.encode({ contractId: id }).finish();
    const response = h.app.query({ path: '/ain.channels.v1.Query/Contract', data, height: 0n, prove: false });
    expect(response.log).toBe('');
    return QueryContractResponse.decode(response.value);
  };
  const propose = (terms: { price: string; deposit: string; penaltyPerMiss: string; durationSeconds: bigint }, by = carl) =>
    h.send(by, [
      any(MsgProposeContract, {
        signer: by.address,
        clientPubkey: by.pubkey,
        executor: w1.address,
        requestsPerSecond: 10,
        gpus: 1,
        disputeSeconds: 30n,
        ...terms,
      }),
    ]);
  const accept = (contractId: bigint, by = w1) =>
    h.send(by, [any(MsgAcceptContract, { signer: by.address, contractId, executorPubkey: by.pubkey })]);
  const terms = (contractId: bigint, seq: bigint, deadline: bigint) => ({
    chainId: CHAIN_ID,
    contractId,
    seq,
    deadline,
    bodyHash: bodyHash(`call ${seq}`),
  });
  const request = (contractId: bigint, seq: bigint, deadline: bigint, signer: Key = carl) => ({
    seq,
    deadline,
    bodyHash: bodyHash(`call ${seq}`),
    signature: signContractRequest(signer.privkey, terms(contractId, seq, deadline)),
  });
  const receipt = (contractId: bigint, seq: bigint, deadline: bigint, answeredAt: bigint, signer: Key = w1) => ({
    seq,
    answeredAt,
    signature: signContractReceipt(signer.privkey, terms(contractId, seq, deadline), answeredAt),
  });
  const claim = (contractId: bigint, requests: object[], by = carl) =>
    h.send(by, [any(MsgClaimMisses, { signer: by.address, contractId, requests })]);
  const dispute = (contractId: bigint, receipts: object[], by = w1) =>
    h.send(by, [any(MsgDisputeMisses, { signer: by.address, contractId, receipts })]);
  const settle = (contractId: bigint, by: Key) => h.send(by, [any(MsgSettleContract, { signer: by.address, contractId })]);

  beforeEach(() => {
    h = startJobsApp();
  });
  afterEach(async () => {
    await h.close();
  });

  it('honours a contract: claims disputed with receipts in time are void, one miss stands and is slashed to the client', () => {
    expect(propose({ price: '6000', deposit: '1000', penaltyPerMiss: '300', durationSeconds: 60n }).log).toBe('');
    expect(contract(1n).contract!.status).toBe(ContractStatus.CONTRACT_STATUS_PROPOSED);
    expect(codeOf(accept(1n, dan))).toBe('channels/3');
    expect(accept(1n).log).toBe('');
    const start = h.now();
    expect(contract(1n).contract).toMatchObject({ status: ContractStatus.CONTRACT_STATUS_ACTIVE, startsAt: start, endsAt: start + 60n });
    escrowInvariant();
    expect(h.balance(CHANNELS_ACCOUNT)).toBe(7000n);

    h.advance(9n);
    const [d1, d2, d3] = [start + 3n, start + 4n, start + 5n];
    // A deadline not passed yet, a forged request, a seq listed twice: refused, naming the field.
    const early = claim(1n, [request(1n, 9n, start + 50n)]);
    expect(codeOf(early)).toBe('channels/15');
    expect(early.log).toContain('requests[0].deadline');
    const forged = claim(1n, [request(1n, 1n, d1, dan)]);
    expect(codeOf(forged)).toBe('channels/14');
    expect(forged.log).toContain('requests[0].signature');
    expect(codeOf(claim(1n, [request(1n, 1n, d1), request(1n, 1n, d1)]))).toBe('channels/15');
    expect(codeOf(claim(1n, [request(1n, 1n, d1)], dan))).toBe('channels/3');

    expect(claim(1n, [request(1n, 1n, d1), request(1n, 2n, d2), request(1n, 3n, d3)]).log).toBe('');
    expect(contract(1n).claims.map((c) => c.seq)).toEqual([1n, 2n, 3n]);
    // The executor answered seq 1 and 3 in time; its receipt of seq 2 is late; a receipt signed by another key is forged.
    expect(dispute(1n, [receipt(1n, 1n, d1, d1 - 1n), receipt(1n, 3n, d3, d3)]).log).toBe('');
    const late = dispute(1n, [receipt(1n, 2n, d2, d2 + 1n)]);
    expect(codeOf(late)).toBe('channels/16');
    expect(late.log).toContain('receipts[0].answered_at');
    expect(codeOf(dispute(1n, [receipt(1n, 2n, d2, d2, dan)]))).toBe('channels/14');
    expect(codeOf(dispute(1n, [receipt(1n, 1n, d1, d1)]))).toBe('channels/16');
    expect(contract(1n).contract).toMatchObject({ claims: 3n, disputed: 2n });

    // Settling waits for the end and two dispute windows; a stranger may not settle.
    expect(codeOf(settle(1n, w1))).toBe('channels/17');
    h.advance(120n);
    expect(codeOf(settle(1n, dan))).toBe('channels/3');
    const settled = settle(1n, w1);
    expect(settled.log).toBe('');
    expect(contract(1n).contract).toMatchObject({ status: ContractStatus.CONTRACT_STATUS_SETTLED, slashed: '300' });
    expect(h.balance(CHANNELS_ACCOUNT)).toBe(0n);
    escrowInvariant();
    expect(h.delta(carl)).toBe(-6000n + 300n);
    expect(h.delta(w1)).toBe(6000n - 300n);
    expect(codeOf(settle(1n, w1))).toBe('channels/13');
  });

  it('ends early with a pro rata refund, caps the slash at the deposit, cancels a proposal in full, and answers REST', async () => {
    expect(propose({ price: '6000', deposit: '1000', penaltyPerMiss: '400', durationSeconds: 60n }).log).toBe('');
    expect(accept(1n).log).toBe('');
    const start = h.now();
    h.advance(14n);
    // Ended at start + 15: 45 of 60 seconds unused, 4500 back.
    const ended = h.send(carl, [any(MsgEndContract, { signer: carl.address, contractId: 1n })]);
    expect(ended.log).toBe('');
    expect(contract(1n).contract).toMatchObject({ refunded: '4500', endsAt: start + 15n });
    escrowInvariant();
    // A call due after the end does not count; three misses before it: 1200 capped at the 1000 deposit.
    expect(codeOf(claim(1n, [request(1n, 9n, start + 16n)]))).toBe('channels/15');
    h.advance(2n);
    expect(claim(1n, [request(1n, 1n, start + 2n), request(1n, 2n, start + 3n), request(1n, 3n, start + 4n)]).log).toBe('');
    h.advance(61n);
    expect(settle(1n, carl).log).toBe('');
    expect(h.delta(carl)).toBe(-6000n + 4500n + 1000n);
    expect(h.delta(w1)).toBe(1500n - 1000n);
    escrowInvariant();

    // A proposal not accepted: the client takes it back whole; accepting it then is refused.
    expect(propose({ price: '500', deposit: '10', penaltyPerMiss: '1', durationSeconds: 60n }).log).toBe('');
    expect(h.send(carl, [any(MsgEndContract, { signer: carl.address, contractId: 2n })]).log).toBe('');
    expect(contract(2n).contract).toMatchObject({ status: ContractStatus.CONTRACT_STATUS_CANCELLED, refunded: '500' });
    expect(codeOf(accept(2n))).toBe('channels/13');
    expect(h.delta(carl)).toBe(-6000n + 4500n + 1000n);
    expect(h.balance(CHANNELS_ACCOUNT)).toBe(0n);

    const listed = QueryContractsResponse.decode(
      h.app.query({
        path: '/ain.channels.v1.Query/Contracts',
        data: QueryContractsRequest.encode({ client: '', executor: w1.address, pagination: undefined }).finish(),
        height: 0n,
        prove: false,
      }).value,
    );
    expect(listed.contracts.map((c) => c.id)).toEqual([1n, 2n]);

    // The same through the REST routes (proto3 JSON), answered by the app's query.
    const rest = async (path: string, params: string[], search = '') => {
      const route = channelsRestRoutes.find((r) => r.path === path)!;
      const context = {
        query: (p: string, data: Uint8Array) => h.app.query({ path: p, data, height: 0n, prove: false }),
        comet: async () => ({}),
        anyTypes: new Map(),
        appVersion: 'test',
      };
      return (await route.handler(context, { params, searchParams: new URLSearchParams(search), body: undefined, height: undefined })).body;
    };
    expect(await rest('/ain/channels/v1/contracts/{contract_id}', ['1'])).toMatchObject({
      contract: { id: '1', client: carl.address, status: 'CONTRACT_STATUS_SETTLED', refunded: '4500', slashed: '1000' },
      claims: [{ seq: '1' }, { seq: '2' }, { seq: '3' }],
    });
    const byClient = (await rest('/ain/channels/v1/contracts', [], `client=${carl.address}`)) as { contracts: Array<{ id: string }> };
    expect(byClient.contracts.map((c) => c.id)).toEqual(['1', '2']);
    const firstPage = (await rest('/ain/channels/v1/contracts', [], `client=${carl.address}&pagination.limit=1`)) as {
      contracts: Array<{ id: string }>;
      pagination: { next_key: string };
    };
    expect(firstPage.contracts.map((c) => c.id)).toEqual(['1']);
    expect(Buffer.from(firstPage.pagination.next_key, 'base64').toString()).toBe('2');
    await expect(rest('/ain/channels/v1/contracts/{contract_id}', ['x'])).rejects.toThrow(/contract_id/);
    await expect(rest('/ain/channels/v1/contracts/{contract_id}', ['9'])).rejects.toThrow(/no contract 9/);
    await expect(rest('/ain/channels/v1/channels', [])).rejects.toThrow(/payer or executor/);
  });

  it('embeds the lowest 1000 seqs in seq order (not the first 1000 seq labels in text order); settling counts every claim', () => {
    expect(propose({ price: '6000', deposit: '5000', penaltyPerMiss: '1', durationSeconds: 60n }).log).toBe('');
    expect(accept(1n).log).toBe('');
    const deadline = h.now() + 1n;
    h.advance(5n);
    // Seqs 1..1005 in claims of 100: stored as path labels, where "995".."999" come last in text order.
    const seqs = Array.from({ length: 1005 }, (_, i) => BigInt(i + 1));
    for (let i = 0; i < seqs.length; i += 100) {
      expect(
        claim(
          1n,
          seqs.slice(i, i + 100).map((seq) => request(1n, seq, deadline)),
        ).log,
      ).toBe('');
    }
    const answered = contract(1n);
    expect(answered.contract).toMatchObject({ claims: 1005n, disputed: 0n });
    const listed = answered.claims.map((c) => c.seq);
    expect(listed).toEqual(seqs.slice(0, 1000));
    // Settling reads the contract's counters, not the listing: all 1005 misses are slashed.
    h.advance(200n);
    expect(settle(1n, w1).log).toBe('');
    expect(contract(1n).contract).toMatchObject({ status: ContractStatus.CONTRACT_STATUS_SETTLED, slashed: '1005' });
    escrowInvariant();
  });

  it('refuses malformed terms and a deposit the executor lacks, naming the field', () => {
    const noPenalty = propose({ price: '10', deposit: '10', penaltyPerMiss: '0', durationSeconds: 60n });
    expect(codeOf(noPenalty)).toBe('channels/1');
    expect(noPenalty.log).toContain('penalty_per_miss');
    expect(codeOf(propose({ price: '999999999999999', deposit: '10', penaltyPerMiss: '1', durationSeconds: 60n }))).toBe('channels/9');
    expect(propose({ price: '10', deposit: '999999999999999', penaltyPerMiss: '1', durationSeconds: 60n }).log).toBe('');
    const poor = accept(1n);
    expect(codeOf(poor)).toBe('channels/9');
    expect(poor.log).toContain('deposit');
    escrowInvariant();
  });
});
