/**
 * The light client verifier (modules/shards/lightclient) on live headers from a real node, fetched
 * over its CometBFT RPC as a relayer would: hashes recomputed equal the node's, a parent-side trusted
 * state follows the chain height by height and by skipping, across a change of the validator's power
 * (a delegation, so validators_hash changes two heights later), and a tampered header is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrHeaderHashMismatch,
  headerHash,
  initialTrustedState,
  type LightClientParams,
  signedHeaderFromRpc,
  type TrustedState,
  validatorSetFromRpc,
  validatorSetHash,
  verifyCommitLight,
  verifyUpdate,
} from '../modules/shards/lightclient/index.ts';
import { fundedClient, startTestNode, type TestNode } from './helpers/node.ts';

let node: TestNode;

beforeAll(async () => {
  node = await startTestNode({ accounts: 1, chainId: 'ain-lightclient-live' });
});

afterAll(async () => {
  await node?.stop();
});

async function rpc(method: string, params: Record<string, string>): Promise<unknown> {
  const response = await fetch(`${node.rpcUrl}/${method}?${new URLSearchParams(params)}`);
  const body = (await response.json()) as { result?: unknown; error?: unknown };
  if (body.result === undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** What a relayer fetches for height h: the signed header and the sets of h and h + 1. */
async function fetchUpdate(h: number) {
  const [commit, validators, nextValidators] = await Promise.all([
    rpc('commit', { height: String(h) }),
    rpc('validators', { height: String(h), per_page: '100' }),
    rpc('validators', { height: String(h + 1), per_page: '100' }),
  ]);
  return {
    signedHeader: signedHeaderFromRpc(commit),
    validators: validatorSetFromRpc(validators),
    nextValidators: validatorSetFromRpc(nextValidators),
  };
}

const PARAMS: LightClientParams = {
  trustingPeriodSeconds: 3600n,
  trustLevel: { numerator: 1n, denominator: 3n },
  maxClockDriftSeconds: 10n,
};

/** The parent's block time: here a second after the header, never the local clock. */
const nowAfter = (update: Awaited<ReturnType<typeof fetchUpdate>>): bigint => update.signedHeader.header!.time.seconds + 1n;

describe('light client on a live node', () => {
  let first: TrustedState;

  it("recomputes the node's block hash and validators hash, and verifies its commit", async () => {
    await node.waitForHeight(4);
    const update = await fetchUpdate(2);
    const block = (await rpc('block', { height: '2' })) as { block_id: { hash: string } };
    expect(Buffer.from(headerHash(update.signedHeader.header!)).toString('hex').toUpperCase()).toBe(block.block_id.hash);
    expect(validatorSetHash(update.validators.validators)).toEqual(update.signedHeader.header!.validatorsHash);
    const commit = update.signedHeader.commit!;
    expect(verifyCommitLight(node.chainId, update.validators, commit.blockId, 2n, commit).signedPower).toBe(
      node.validator.stake / 1_000_000n,
    );
    first = initialTrustedState(update.signedHeader, update.validators, update.nextValidators);
    expect(first.height).toBe(2n);
  });

  it('follows the chain height by height and by skipping across a change of voting power', async () => {
    const { client, address } = await fundedClient(node, 0);
    const delegated = await client.delegateTokens(address, node.validator.operatorAddress, { denom: 'uain', amount: '5000000000' }, 'auto');
    client.disconnect();
    expect(delegated.code).toBe(0);
    const changedAt = delegated.height + 2;
    await node.waitForHeight(changedAt + 3);

    // Skipping from height 2 to after the change: the old set (power 100000) signs with power 105000 now.
    const after = await fetchUpdate(changedAt + 2);
    const skipped = verifyUpdate(first, after, PARAMS, nowAfter(after));
    expect(skipped.height).toBe(BigInt(changedAt + 2));
    expect(after.validators.validators[0]!.votingPower).toBe(node.validator.stake / 1_000_000n + 5_000n);

    // Height by height from 2 to the same height, through the set change.
    let state = first;
    const hashes: string[] = [];
    for (let h = 3; h <= changedAt + 2; h++) {
      const update = await fetchUpdate(h);
      hashes.push(Buffer.from(update.signedHeader.header!.validatorsHash).toString('hex'));
      state = verifyUpdate(state, update, PARAMS, nowAfter(update));
    }
    // One change of validators_hash, at changedAt (hashes[0] is height 3).
    expect(new Set(hashes).size).toBe(2);
    expect(hashes[changedAt - 3]).not.toBe(hashes[changedAt - 4]);
    expect(state).toEqual(skipped);
  });

  it('refuses a live header whose app hash was changed after signing', async () => {
    const update = await fetchUpdate(3);
    const header = { ...update.signedHeader.header!, appHash: new Uint8Array(32) };
    let thrown: unknown;
    try {
      verifyUpdate(first, { ...update, signedHeader: { ...update.signedHeader, header } }, PARAMS, nowAfter(update));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ codespace: ErrHeaderHashMismatch.codespace, code: ErrHeaderHashMismatch.code });
  });
});
