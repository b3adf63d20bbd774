/**
 * Captures the light client's fixtures once from a real node: run by hand with
 * `npx tsx modules/shards/lightclient/testdata/capture.fixture.ts` (it rewrites `chain.json` beside it).
 * It starts a one-validator test node (`startTestNode`), lets a few blocks pass, then creates a second
 * validator with MsgCreateValidator whose ed25519 key is made here from a fixed seed and which never
 * runs a node (its power, 1/6 of the total, keeps the chain live without it): the set changes once,
 * from {A} to {A, B}, two heights after that tx. It saves the raw `/block`, `/commit` and `/validators`
 * results of each height around the change, and both validators' private keys, so tests can sign
 * conflicting headers of a throwaway chain. Named `.fixture.ts` because it is test code, not consensus code.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { ed25519 } from '@noble/curves/ed25519.js';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { MsgCreateValidator } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { fundedClient, startTestNode } from '../../../../test/helpers/node.ts';
import { decFromText, decToAtomics } from '../../../../core/index.ts';

const CHAIN_ID = 'ain-lightclient-1';
/** Heights kept before the create-validator tx's height and after it (the set changes at +2). */
const BEFORE = 3;
const AFTER = 6;
/** B's stake: power 20,000 against A's 100,000 (startTestNode's default), so A alone still has 5/6. */
const B_STAKE = 20_000_000_000n;

const here = import.meta.dirname;

async function rpc(url: string, method: string, params: Record<string, string>): Promise<unknown> {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(`${url}/${method}?${query}`);
  const body = (await response.json()) as { result?: unknown; error?: unknown };
  if (!response.ok || body.error || body.result === undefined)
    throw new Error(`${method} ${query}: ${JSON.stringify(body.error ?? response.status)}`);
  return body.result;
}

async function main(): Promise<void> {
  const node = await startTestNode({ accounts: 1, chainId: CHAIN_ID, timeoutCommit: '300ms' });
  try {
    // A: the node's own consensus key (CometBFT writes the 32-byte seed followed by the public key).
    const privValidator = JSON.parse(readFileSync(join(node.home, 'config', 'priv_validator_key.json'), 'utf8')) as {
      address: string;
      priv_key: { value: string };
    };
    const aSeed = Buffer.from(privValidator.priv_key.value, 'base64').subarray(0, 32);
    // B: a fixed seed, so a recapture gives B the same key.
    const bSeed = createHash('sha256').update('ain-lightclient-fixture/validator-b').digest();
    const bPubkey = ed25519.getPublicKey(bSeed);

    await node.waitForHeight(BEFORE + 1);
    const { client, address } = await fundedClient(node, 0);
    const message = {
      typeUrl: '/cosmos.staking.v1beta1.MsgCreateValidator',
      value: MsgCreateValidator.fromPartial({
        description: { moniker: 'lightclient-b' },
        commission: {
          rate: decToAtomics(decFromText('0.10', 'rate')),
          maxRate: decToAtomics(decFromText('0.20', 'max_rate')),
          maxChangeRate: decToAtomics(decFromText('0.01', 'max_change_rate')),
        },
        minSelfDelegation: '1',
        delegatorAddress: '',
        // The operator address: the account's 20 bytes under the valoper prefix.
        validatorAddress: toBech32('ainvaloper', fromBech32(address, 90).data),
        pubkey: { typeUrl: '/cosmos.crypto.ed25519.PubKey', value: Ed25519PubKey.encode({ key: bPubkey }).finish() },
        value: { denom: 'uain', amount: B_STAKE.toString() },
      }),
    };
    const result = await client.signAndBroadcast(address, [message], 'auto');
    client.disconnect();
    if (result.code !== 0) throw new Error(`MsgCreateValidator failed: ${result.rawLog}`);
    const changedAt = result.height;
    // /commit of the last kept height needs the next block.
    await node.waitForHeight(changedAt + AFTER + 1);

    const heights: Record<string, unknown> = {};
    for (let h = changedAt - BEFORE; h <= changedAt + AFTER; h++) {
      const height = String(h);
      heights[height] = {
        block: await rpc(node.rpcUrl, 'block', { height }),
        commit: await rpc(node.rpcUrl, 'commit', { height }),
        validators: await rpc(node.rpcUrl, 'validators', { height, per_page: '100' }),
      };
    }
    const fixture = {
      about: `captured by capture.fixture.ts from a one-validator node (CometBFT v0.38); MsgCreateValidator for B in block ${changedAt}, B in the set from ${changedAt + 2}`,
      chainId: CHAIN_ID,
      createValidatorHeight: changedAt,
      keys: {
        a: { address: privValidator.address, seed: Buffer.from(aSeed).toString('base64') },
        b: {
          address: Buffer.from(createHash('sha256').update(bPubkey).digest().subarray(0, 20)).toString('hex').toUpperCase(),
          seed: bSeed.toString('base64'),
        },
      },
      heights,
    };
    writeFileSync(join(here, 'chain.json'), `${JSON.stringify(fixture, null, 1)}\n`);
    console.log(`wrote ${join(here, 'chain.json')}: heights ${changedAt - BEFORE}..${changedAt + AFTER}, set change at ${changedAt + 2}`);
  } finally {
    await node.stop();
  }
}

await main();
