/**
 * The executor's dispute rounds (ContractDesk.disputeOpen) against the whole app, in process (the jobs
 * harness: real AinApplication, lmdb, signed txs; the desk reads the chain's block time as a node's
 * status reports it): a claim whose dispute window passed, or made on another request than the one
 * answered under its seq, is not sent and the other contracts' claims are disputed; a tx refused as
 * it lands (its claims' window closed on the way) does not stop the next batches and contracts; a
 * round after that sends nothing. Small contracts, a few claims each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractBodyHash, type StateQuerier, TxError } from '../../client/index.ts';
import { ContractDesk, DISPUTE_MARGIN_SECONDS } from '../../executor/contracts.ts';
import { signContractRequest } from '../../modules/channels/index.ts';
import { QueryContractRequest, QueryContractResponse } from '../../proto/gen/ain/channels/v1/query.ts';
import { MsgAcceptContract, MsgClaimMisses, MsgDisputeMisses, MsgProposeContract } from '../../proto/gen/ain/channels/v1/tx.ts';
import { any, CHAIN_ID, type JobsHarness, keys, startJobsApp } from './jobsHarness.fixture.ts';

const { carl, w1 } = keys;
const DISPUTE_SECONDS = 300n;
const bodyOf = (contractId: bigint, seq: bigint) => ({ contract: contractId.toString(), call: seq.toString() });
/** Contract 1's claims close before the first round; 2 has claims closing as the second round runs; 3 is plain. */
const LATE = 1n;
const MIXED = 2n;
const PLAIN = 3n;

describe('the desk disputes what the chain takes, and a failed tx does not stop the round, in process', () => {
  let h: JobsHarness;
  let desk: ContractDesk;
  let deadline: bigint;
  /** Each dispute tx the desk sends (contract, seqs), whether the chain took it or not. */
  const sent: Array<{ contractId: bigint; seqs: bigint[] }> = [];
  const logs: string[] = [];
  /** Seconds after the last block a dispute tx lands in its own block. */
  let lag = 1n;
  const comet = {
    abciQuery: async ({ path, data }) => {
      const response = h.app.query({ path: path ?? '', data: data ?? new Uint8Array(), height: 0n, prove: false });
      return { ...response, key: new Uint8Array(), index: 0, height: Number(response.height) };
    },
    status: async () => ({ syncInfo: { latestBlockHeight: 0, latestBlockTime: new Date(Number(h.now()) * 1000) } }),
  } as StateQuerier & { status: () => Promise<unknown> };

  /** The client's signed request for a call (the body answered, or another one it claims instead). */
  const request = (contractId: bigint, seq: bigint, body: unknown = bodyOf(contractId, seq)) => {
    const terms = { chainId: CHAIN_ID, contractId, seq, deadline, bodyHash: contractBodyHash(body) };
    return { seq, deadline, bodyHash: terms.bodyHash, signature: signContractRequest(carl.privkey, terms) };
  };
  const claim = (contractId: bigint, requests: ReturnType<typeof request>[]) =>
    expect(h.send(carl, [any(MsgClaimMisses, { signer: carl.address, contractId, requests })]).log).toBe('');
  const disputedSeqs = (contractId: bigint) =>
    QueryContractResponse.decode(
      h.app.query({
        path: '/ain.channels.v1.Query/Contract',
        data: QueryContractRequest.encode({ contractId }).finish(),
        height: 0n,
        prove: false,
      }).value,
    )
      .claims.filter((c) => c.disputed)
      .map((c) => c.seq);
  const sentSince = (from: number) => sent.slice(from).map(({ contractId, seqs }) => `${contractId}:${seqs.join(',')}`);

  beforeAll(async () => {
    h = startJobsApp();
    for (const contractId of [LATE, MIXED, PLAIN]) {
      const propose = any(MsgProposeContract, {
        signer: carl.address,
        clientPubkey: carl.pubkey,
        executor: w1.address,
        requestsPerSecond: 10,
        gpus: 1,
        price: '1000',
        deposit: '100',
        penaltyPerMiss: '1',
        durationSeconds: 3600n,
        disputeSeconds: DISPUTE_SECONDS,
      });
      expect(h.send(carl, [propose]).log).toBe('');
      expect(h.send(w1, [any(MsgAcceptContract, { signer: w1.address, contractId, executorPubkey: w1.pubkey })]).log).toBe('');
    }
    const servedAt = h.now();
    deadline = servedAt + 1n;
    desk = new ContractDesk({
      client: {
        cometClient: comet as never,
        chainId: CHAIN_ID,
        address: w1.address,
        signAndBroadcast: (async (messages: ReadonlyArray<{ value: MsgDisputeMisses }>) => {
          sent.push({ contractId: messages[0]!.value.contractId, seqs: messages[0]!.value.receipts.map((r) => r.seq) });
          const result = h.send(
            w1,
            messages.map((m) => any(MsgDisputeMisses, m.value)),
            lag,
          );
          // As the node client reports a tx refused in its block.
          if (result.code !== 0) throw new TxError({ code: result.code, codespace: result.codespace, log: result.log, stage: 'deliver' });
          return result;
        }) as never,
      },
      privkey: w1.privkey,
      nowSeconds: () => servedAt,
      log: (line) => logs.push(line),
    });
    // The gateway serves every call in time: contract 2's first, then 3's, then 1's (the order rounds visit them).
    const serve = async (contractId: bigint, count: number) => {
      for (let seq = 1n; seq <= BigInt(count); seq++) {
        const r = request(contractId, seq);
        const header = JSON.stringify({
          contract_id: contractId.toString(),
          seq: seq.toString(),
          deadline: deadline.toString(),
          body_hash: Buffer.from(r.bodyHash).toString('hex'),
          signature: Buffer.from(r.signature).toString('base64'),
        });
        desk.receipt(await desk.admit(header, bodyOf(contractId, seq)));
      }
    };
    await serve(MIXED, 4);
    await serve(PLAIN, 5);
    await serve(LATE, 3);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("leaves out claims whose window passed (and one made on another request); the other contracts' are disputed", async () => {
    h.advance(10n);
    claim(LATE, [request(LATE, 1n), request(LATE, 2n), request(LATE, 3n)]);
    // Contract 1 runs on, but each of its claims took disputes for 300 s after it was made.
    h.advance(DISPUTE_SECONDS + 100n);
    // Seq 3 claimed on a body other than the one answered: the receipt cannot dispute it.
    claim(PLAIN, [request(PLAIN, 1n), request(PLAIN, 2n), request(PLAIN, 3n, { other: true })]);
    expect(await desk.disputeOpen()).toBe(2);
    expect(sentSince(0)).toEqual(['3:1,2']);
    expect(disputedSeqs(PLAIN)).toEqual([1n, 2n]);
    expect(disputedSeqs(LATE)).toEqual([]);
    expect(desk.disputeStats).toEqual({ txs: 1, disputed: 2, failedTxs: 0, forgotten: 4 });
    expect(logs).toContain(`contracts: 3 receipt(s) forgotten: claim(s) of contract 1 closed to disputes at block time ${h.now() - 1n}`);
    // Nothing is left that the chain would take: another round sends no tx.
    expect(await desk.disputeOpen()).toBe(0);
    expect(sentSince(0)).toHaveLength(1);
  });

  it('a batch refused as it lands (its window closed on the way) does not stop the next batches and contracts', async () => {
    const from = sent.length;
    claim(MIXED, [request(MIXED, 1n), request(MIXED, 2n)]);
    // The round runs 30 s before seqs 1 and 2 close (open at the latest block, within the margin) ...
    h.advance(DISPUTE_SECONDS - 32n);
    claim(MIXED, [request(MIXED, 3n), request(MIXED, 4n)]);
    claim(PLAIN, [request(PLAIN, 4n), request(PLAIN, 5n)]);
    expect(30n < DISPUTE_MARGIN_SECONDS).toBe(true);
    // ... and each tx lands 40 s after the block before it: the first lands after they closed.
    lag = 40n;
    expect(await desk.disputeOpen()).toBe(4);
    // The closing claims go alone, first; the chain refuses seq 1 by name, then seq 2 sent again without it.
    expect(sentSince(from)).toEqual(['2:1,2', '2:2', '2:3,4', '3:4,5']);
    expect(disputedSeqs(MIXED)).toEqual([3n, 4n]);
    expect(disputedSeqs(PLAIN)).toEqual([1n, 2n, 4n, 5n]);
    const failed = logs.filter((line) => line.includes('disputing'));
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatch(
      /^contracts: disputing 2 claim\(s\) of contract 2 failed: receipts\[0\]: claim 1 could be disputed until \d+/,
    );
    expect(failed[0]).toContain('[channels/16]; the receipt of seq 1 is forgotten, the other 1 sent again');
    expect(desk.disputeStats).toEqual({ txs: 3, disputed: 6, failedTxs: 2, forgotten: 6 });
  });

  it('a round after that sends nothing', async () => {
    const from = sent.length;
    h.advance(5n);
    expect(await desk.disputeOpen()).toBe(0);
    expect(sentSince(from)).toEqual([]);
    expect(desk.disputeStats).toMatchObject({ txs: 3, failedTxs: 2 });
  });
});
