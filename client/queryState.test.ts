import type { CometClient } from '@cosmjs/tendermint-rpc';
import { describe, expect, it } from 'vitest';
import { MemoryTrie, encodeProof, pathKeyHash, PROOF_OP_TYPE, valueHash } from '../tree/index.ts';
import {
  Kind,
  QueryEvalRuleRequest,
  QueryEvalRuleResponse,
  QueryGetRequest,
  QueryGetResponse,
  QueryMatchRuleRequest,
  QueryMatchRuleResponse,
} from '../proto/gen/ain/state/v1/query.ts';
import { QueryError } from './errors.ts';
import { queryChannel } from './channels.ts';
import { queryContracts } from './contracts.ts';
import { queryReceipt, queryShard, SHARDS_QUERY_PATHS } from './queryShards.ts';
import { queryEvalRule, queryGet, queryMatchRule, queryProof, STATE_QUERY_PATHS } from './queryState.ts';
import { queryCall, queryExecutors, TRIGGERS_QUERY_PATHS } from './queryTriggers.ts';

type AbciParams = Parameters<CometClient['abciQuery']>[0];
type AbciAnswer = Partial<Awaited<ReturnType<CometClient['abciQuery']>>>;

/** A Comet client whose abciQuery answers from `answer` and records the requests. */
function fakeComet(answer: (params: AbciParams) => AbciAnswer, extra: Record<string, unknown> = {}) {
  const calls: AbciParams[] = [];
  const comet = {
    abciQuery: async (params: AbciParams) => {
      calls.push(params);
      return { key: new Uint8Array(), value: new Uint8Array(), codespace: '', info: '', ...answer(params) };
    },
    ...extra,
  } as unknown as CometClient;
  return { comet, calls };
}

describe('queryGet', () => {
  it('asks /ain.state.v1.Query/Get with kind, depth and height, and parses the JSON answer', async () => {
    const { comet, calls } = fakeComet(() => ({
      value: QueryGetResponse.encode(QueryGetResponse.fromPartial({ value: '{"a":{"b":1}}', height: 7n })).finish(),
      height: 7,
    }));
    expect(await queryGet(comet, { path: '/apps/x', kind: 'rule', depth: 1, height: 7 })).toEqual({ value: { a: { b: 1 } }, height: 7 });
    expect(calls[0]!.path).toBe(STATE_QUERY_PATHS.get);
    expect(calls[0]!.height).toBe(7);
    expect(calls[0]!.prove).toBe(false);
    expect(QueryGetRequest.decode(calls[0]!.data)).toEqual({ path: '/apps/x', kind: Kind.KIND_RULE, depth: 1, prove: false });
  });

  it('reads "null" as null and leaves the height out for the latest', async () => {
    const { comet, calls } = fakeComet(() => ({
      value: QueryGetResponse.encode(QueryGetResponse.fromPartial({ value: 'null', height: 3n })).finish(),
    }));
    expect(await queryGet(comet, { path: '/apps/none' })).toEqual({ value: null, height: 3 });
    expect('height' in calls[0]!).toBe(false);
  });

  it('refuses answer bytes that do not decode with sdk/39 naming the path (a node answering [1] threw RangeError: premature EOF)', async () => {
    const { comet } = fakeComet(() => ({ code: 0, value: Uint8Array.of(1), height: 3 }));
    for (const [query, path] of [
      [() => queryGet(comet, { path: '/apps/x' }), STATE_QUERY_PATHS.get],
      [() => queryProof(comet, { path: '/apps/x' }), STATE_QUERY_PATHS.get],
      [() => queryEvalRule(comet, { path: '/apps/x', valueJson: '1', address: 'ain1x' }), STATE_QUERY_PATHS.evalRule],
      [() => queryMatchRule(comet, { path: '/apps/x' }), STATE_QUERY_PATHS.matchRule],
    ] as const) {
      await expect(query()).rejects.toMatchObject({ codespace: 'sdk', code: 39, message: expect.stringContaining(path) });
    }
  });

  it("refuses undecodable answers the same way in the other modules' query helpers", async () => {
    const { comet } = fakeComet(() => ({ code: 0, value: Uint8Array.of(1), height: 3 }));
    const cometClient = comet as unknown as CometClient;
    for (const [query, path] of [
      [() => queryShard(comet, 'child'), SHARDS_QUERY_PATHS.shard],
      [() => queryReceipt(comet, 'child', 1n), SHARDS_QUERY_PATHS.receipt],
      [() => queryCall(cometClient, 1n), TRIGGERS_QUERY_PATHS.call],
      [() => queryExecutors(cometClient), TRIGGERS_QUERY_PATHS.executors],
      [() => queryChannel(comet, 1n), '/ain.channels.v1.Query/Channel'],
      [() => queryContracts(comet, {}), '/ain.channels.v1.Query/Contracts'],
    ] as const) {
      await expect(query()).rejects.toMatchObject({ codespace: 'sdk', code: 39, message: expect.stringContaining(path) });
    }
  });

  it('throws QueryError with the node code, codespace and log', async () => {
    const { comet } = fakeComet(() => ({ code: 26, codespace: 'sdk', log: 'height 2 is not retained' }));
    const error = await queryGet(comet, { path: '/apps/x', height: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ code: 26, codespace: 'sdk', log: 'height 2 is not retained', path: STATE_QUERY_PATHS.get, height: 2 });
    await expect(queryGet(comet, { path: '/apps/x', depth: -1 })).rejects.toThrow(/depth/);
    await expect(queryGet(comet, { path: '/apps/x', height: 1.5 })).rejects.toThrow(/height/);
  });
});

describe('queryProof', () => {
  const trie = new MemoryTrie();
  trie.apply([
    { keyHash: pathKeyHash('/apps/a/x'), valueHash: valueHash('hi') },
    { keyHash: pathKeyHash('/apps/a/y'), valueHash: valueHash(2) },
  ]);
  const proof = encodeProof(trie.prove(pathKeyHash('/apps/a/x')));
  const header = {
    status: async () => ({ syncInfo: { latestBlockHeight: 10 } }),
    commit: async () => ({ header: { appHash: trie.root } }),
  };

  it('asks with prove, takes the ain:state ProofOp and verifies against the next header', async () => {
    const { comet, calls } = fakeComet(
      () => ({
        value: QueryGetResponse.encode(QueryGetResponse.fromPartial({ value: '"hi"', height: 9n })).finish(),
        proof: { ops: [{ type: PROOF_OP_TYPE, key: new Uint8Array(), data: proof }] },
        height: 9,
      }),
      header,
    );
    const answer = await queryProof(comet, { path: '/apps/a/x' });
    expect(calls[0]!.prove).toBe(true);
    expect(QueryGetRequest.decode(calls[0]!.data).prove).toBe(true);
    expect(answer).toMatchObject({ path: '/apps/a/x', value: 'hi', valueJson: '"hi"', height: 9 });
    expect(answer.proof).toEqual(proof);
    expect(await answer.verify()).toBe(true);
    expect(await answer.verify(new Uint8Array(32))).toBe(false);
  });

  it('falls back to QueryGetResponse.proof, and refuses an answer without a proof', async () => {
    const withField = fakeComet(
      () => ({ value: QueryGetResponse.encode(QueryGetResponse.fromPartial({ value: '"hi"', proof, height: 9n })).finish() }),
      header,
    );
    expect(await (await queryProof(withField.comet, { path: '/apps/a/x' })).verify()).toBe(true);
    const without = fakeComet(() => ({
      value: QueryGetResponse.encode(QueryGetResponse.fromPartial({ value: '"hi"', height: 9n })).finish(),
    }));
    await expect(queryProof(without.comet, { path: '/apps/a/x' })).rejects.toThrow(/no proof/);
  });
});

describe('queryEvalRule and queryMatchRule', () => {
  it('encode the request and decode the answer', async () => {
    const evalRule = fakeComet(() => ({
      value: QueryEvalRuleResponse.encode({
        allowed: false,
        reason: 'rule at /apps/a/$user refused',
        rulePath: '/apps/a/$user',
        gasUsed: 12n,
      }).finish(),
      height: 4,
    }));
    expect(await queryEvalRule(evalRule.comet, { path: '/apps/a/u/1', valueJson: '"x"', address: 'ain1me' })).toEqual({
      allowed: false,
      reason: 'rule at /apps/a/$user refused',
      rulePath: '/apps/a/$user',
      gasUsed: 12n,
      height: 4,
    });
    expect(QueryEvalRuleRequest.decode(evalRule.calls[0]!.data)).toEqual({ path: '/apps/a/u/1', value: '"x"', address: 'ain1me', fid: '' });

    const match = fakeComet(() => ({
      value: QueryMatchRuleResponse.encode({
        matchedPath: '/apps/a/$user',
        rule: '{"write":"auth.addr == $user"}',
        vars: { $user: 'u' },
      }).finish(),
      height: 4,
    }));
    expect(await queryMatchRule(match.comet, { path: '/apps/a/u' })).toEqual({
      matchedPath: '/apps/a/$user',
      rule: { write: 'auth.addr == $user' },
      vars: { $user: 'u' },
      height: 4,
    });
    expect(QueryMatchRuleRequest.decode(match.calls[0]!.data)).toEqual({ path: '/apps/a/u' });
  });
});
